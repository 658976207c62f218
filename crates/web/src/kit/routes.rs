//! API routes are added through [`ApiRoutes`], which keeps the list of paths it serves beside the
//! router, so the OpenAPI test compares what is served with what is documented, both ways.

use crate::AppState;
use axum::Router;
use axum::routing::MethodRouter;

/// A part of the API: its router and the paths it serves (relative to `/api/v1`).
pub(crate) struct ApiRoutes {
    pub router: Router<AppState>,
    pub paths: Vec<&'static str>,
}

impl ApiRoutes {
    pub fn new() -> ApiRoutes {
        ApiRoutes {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    pub fn route(mut self, path: &'static str, method: MethodRouter<AppState>) -> ApiRoutes {
        self.router = self.router.route(path, method);
        if !self.paths.contains(&path) {
            self.paths.push(path);
        }
        self
    }

    pub fn merge(mut self, other: ApiRoutes) -> ApiRoutes {
        self.router = self.router.merge(other.router);
        for p in other.paths {
            if !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
        self
    }
}

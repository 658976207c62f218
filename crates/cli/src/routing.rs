//! `passage routing`: the rules that send reports to the responsible organisation.

use anyhow::{Context, Result};
use clap::Subcommand;
use passage_core::{Category, Country};
use passage_store::Store;

#[derive(Subcommand)]
pub enum RoutingCommand {
    /// Add a rule at the end of the list. A report goes to the organisation of the first rule
    /// whose category and country (each optional) match it; without a match, to the oldest
    /// hotline. Immigration-enforcement organisations are refused.
    Add {
        /// The organisation's name.
        #[arg(long)]
        org: String,
        /// A report category (see `passage routing categories`); any category if left out.
        #[arg(long)]
        category: Option<String>,
        /// ISO 3166-1 alpha-2 code of the country where it happened; any country if left out.
        #[arg(long)]
        country: Option<String>,
    },
    /// List the rules in the order they are tried.
    List,
    /// List the report categories.
    Categories,
}

pub async fn run(store: Store, command: RoutingCommand) -> Result<()> {
    let op = store.operator("routing");
    match command {
        RoutingCommand::Add {
            org,
            category,
            country,
        } => {
            let category = category
                .map(|c| {
                    Category::parse(&c).with_context(|| {
                        format!("category must be one of: {}", Category::allowed())
                    })
                })
                .transpose()?;
            let country = country
                .map(|c| Country::parse(&c).context("country must be an ISO 3166-1 alpha-2 code"))
                .transpose()?;
            let org = store
                .organisation_by_name(&org)
                .await?
                .with_context(|| format!("no organisation named {org}"))?;
            store
                .add_routing_rule(op.authority(), category, country, org.id)
                .await
                .map_err(crate::describe)?;
            println!("routing rule added");
        }
        RoutingCommand::List => {
            let rules = store.list_routing_rules(op.authority()).await?;
            if rules.is_empty() {
                println!("no rules: every report goes to the oldest hotline");
            }
            for r in rules {
                println!(
                    "{}\t{}\t{}\t{}",
                    r.position,
                    r.category.map_or("*", |c| c.as_str()),
                    r.country.as_deref().unwrap_or("*"),
                    r.org_name
                );
            }
        }
        RoutingCommand::Categories => {
            for c in Category::ALL {
                println!("{}", c.as_str());
            }
        }
    }
    Ok(())
}

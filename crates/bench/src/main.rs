//! `passage-bench`: drives a running Passage over HTTP (or the disk directly, for the naive
//! baseline) and prints requests/s with p50/p99 latencies as a table. Used by `scripts/bench`
//! and `scripts/bench-intake`; benchmarks, not tests.

mod api;
mod cases;
mod common;
mod intake;
mod naive;
mod stats;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create-case and get-case through the staff API.
    Api {
        #[arg(long)]
        base: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value_t = 16)]
        threads: usize,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    /// Public submissions: a closed-loop burst, then a fixed offered rate; every acknowledged
    /// receipt is checked afterwards.
    Intake {
        #[arg(long)]
        base: String,
        #[arg(long, default_value_t = 64)]
        threads: usize,
        /// Submissions in the closed-loop burst.
        #[arg(long, default_value_t = 3000)]
        burst: usize,
        /// Offered rate for the fixed-rate phase, submissions per second.
        #[arg(long, default_value_t = 1000)]
        rate: usize,
        /// Seconds of the fixed-rate phase.
        #[arg(long, default_value_t = 3)]
        seconds: u64,
    },
    /// Case lists with filters and name search on a large world (see `passage demo generate`).
    Cases {
        #[arg(long)]
        base: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value_t = 4)]
        threads: usize,
        /// Requests per query.
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// The statistics pages a dashboard needs, as an analyst, after timing the day's cut.
    Stats {
        #[arg(long)]
        base: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Paths to ask, in order (the first also cuts the day's release); API paths
        /// (`/api/…`) with a token, pages with a browser session.
        #[arg(long = "page", required = true)]
        pages: Vec<String>,
        /// Measured runs of every page.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The disk's naive limit: one SQLite transaction with synchronous=FULL per row.
    Naive {
        #[arg(long)]
        dir: std::path::PathBuf,
        #[arg(long, default_value_t = 2000)]
        rows: usize,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Api {
            base,
            email,
            password,
            threads,
            requests,
        } => api::bench(&base, &email, &password, threads, requests),
        Command::Intake {
            base,
            threads,
            burst,
            rate,
            seconds,
        } => intake::bench(&base, threads, burst, rate, seconds),
        Command::Naive { dir, rows } => naive::bench(&dir, rows),
        Command::Cases {
            base,
            email,
            password,
            threads,
            requests,
        } => cases::bench(&base, &email, &password, threads, requests),
        Command::Stats {
            base,
            email,
            password,
            pages,
            runs,
        } => stats::bench(&base, &email, &password, &pages, runs),
    }
}

//! The naive limit of this disk: every row in its own SQLite transaction, WAL, synchronous=FULL.

use anyhow::Result;
use sqlx::{ConnectOptions, Executor};
use std::time::Instant;

pub fn bench(dir: &std::path::Path, rows: usize) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("naive.db");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
            .connect()
            .await?;
        conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            .await?;
        let body = vec![7u8; 600];
        let start = Instant::now();
        for _ in 0..rows {
            let mut tx = sqlx::Connection::begin(&mut conn).await?;
            sqlx::query("INSERT INTO t (body) VALUES ($1)")
                .bind(&body)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "naive rows/s: {:.0} ({rows} rows, one transaction each, synchronous=FULL)",
            rows as f64 / secs
        );
        Ok(())
    })
}

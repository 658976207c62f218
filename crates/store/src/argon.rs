//! Every argon2id hash Passage computes (passwords, receipts) runs in memory taken from one
//! small set of buffers that are kept and reused. Allocating 19 MiB per hash, as the library
//! does by itself, leaves each freed buffer with the allocator of the thread that hashed —
//! a fresh server with the demo world held over 500 MB while idle that way. Here a buffer is
//! made only when every kept one is in use, and at most [`kept_buffers`] are kept, so the
//! memory hashing holds is bounded by how many hashes may run at once (the hash gate) plus
//! the receipt hardener, whatever the traffic was.

use crate::StoreError;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// OWASP ASVS / cheat sheet minimum for argon2id: m = 19 MiB, t = 2, p = 1.
const M_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Hashing memory kept for reuse.
struct Buffers {
    kept: Mutex<Vec<Vec<Block>>>,
    made: AtomicUsize,
}

static BUFFERS: Buffers = Buffers::new();

/// How many buffers stay kept for reuse: one per hash the gate lets run at once, and one
/// for the receipt hardener.
pub fn kept_buffers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) + 1
}

/// How many hashing buffers this process has made since it started (for tests and the
/// benchmark: stays at [`kept_buffers`] while no more hashes than that run at once).
pub fn buffers_made() -> usize {
    BUFFERS.made.load(Ordering::Relaxed)
}

/// The parameters of every new hash, with an output of `len` bytes.
fn params(len: usize) -> Result<Params, StoreError> {
    Params::new(M_KIB, T_COST, P_COST, Some(len))
        .map_err(|_| StoreError::Crypto("argon2 parameters"))
}

impl Buffers {
    const fn new() -> Buffers {
        Buffers {
            kept: Mutex::new(Vec::new()),
            made: AtomicUsize::new(0),
        }
    }

    /// Runs `f` with a buffer of `blocks` blocks, kept for the next hash afterwards (up to
    /// `keep` of them).
    fn with<T>(&self, blocks: usize, keep: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
        let kept = self.kept.lock().ok().and_then(|mut k| {
            k.iter()
                .position(|b| b.len() == blocks)
                .map(|i| k.swap_remove(i))
        });
        let mut buffer = kept.unwrap_or_else(|| {
            self.made.fetch_add(1, Ordering::Relaxed);
            vec![Block::new(); blocks]
        });
        let out = f(&mut buffer);
        if let Ok(mut k) = self.kept.lock()
            && k.len() < keep
        {
            k.push(buffer);
        }
        out
    }
}

fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    BUFFERS.with(blocks, kept_buffers(), f)
}

/// argon2id of `secret` under `salt` into `out`, with the default parameters.
pub(crate) fn raw(secret: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), StoreError> {
    let params = params(out.len())?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |blocks| {
        argon.hash_password_into_with_memory(secret, salt, out, blocks)
    })
    .map_err(|_| StoreError::Crypto("argon2 hashing failed"))
}

/// A password hash in PHC form (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = crate::random::bytes::<16>()?;
    let mut out = [0u8; 32];
    raw(password.as_bytes(), &salt, &mut out)?;
    let failed = || StoreError::Crypto("password hashing failed");
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params(out.len())?).map_err(|_| failed())?,
        salt: Some(Salt::new(&salt).map_err(|_| failed())?),
        hash: Some(Output::new(&out).map_err(|_| failed())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a PHC hash (any argon2 variant and parameters the string
/// names; a malformed string matches nothing). Compared in constant time.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let Ok(phc) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (phc.salt.as_ref(), phc.hash.as_ref()) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(phc.algorithm.as_str()) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(stored_params) = Params::try_from(&phc) else {
        return false;
    };
    let Ok(params) = Params::new(
        stored_params.m_cost(),
        stored_params.t_cost(),
        stored_params.p_cost(),
        Some(expected.len()),
    ) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let hashed = with_memory(params.block_count(), |blocks| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt.as_ref(), &mut out, blocks)
    });
    hashed.is_ok() && Output::new(&out).is_ok_and(|o| o == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_and_no_other() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("correct horse battery", "not a hash"));
    }

    #[test]
    fn hashes_made_by_the_library_itself_still_verify() {
        use argon2::PasswordHasher;
        let params = Params::new(M_KIB, T_COST, P_COST, None).unwrap();
        let lib = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"an older password")
            .unwrap()
            .to_string();
        assert!(verify_password("an older password", &lib));
        assert!(!verify_password("another password", &lib));
        // Other parameters than today's (an older installation's choice) verify too.
        let small = Params::new(8 * 1024, 3, 1, None).unwrap();
        let lib = Argon2::new(Algorithm::Argon2id, Version::V0x13, small)
            .hash_password(b"small")
            .unwrap()
            .to_string();
        assert!(verify_password("small", &lib));
    }

    #[test]
    fn many_hashes_on_many_threads_reuse_a_bounded_set_of_buffers() {
        // Sixty hashes on sixty threads, at most three at a time: a buffer per hash would
        // make sixty.
        let buffers = Buffers::new();
        let params = params(32).unwrap();
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let count = params.block_count();
        for round in 0..20u8 {
            std::thread::scope(|scope| {
                for i in 0..3u8 {
                    let (buffers, argon) = (&buffers, &argon);
                    scope.spawn(move || {
                        let mut out = [0u8; 32];
                        buffers
                            .with(count, 3, |blocks| {
                                argon.hash_password_into_with_memory(
                                    b"receipt",
                                    &[round, i, 0, 0, 0, 0, 0, 0],
                                    &mut out,
                                    blocks,
                                )
                            })
                            .unwrap();
                    });
                }
            });
        }
        let made = buffers.made.load(Ordering::Relaxed);
        assert!((1..=3).contains(&made), "{made} buffers made for 60 hashes");
    }
}

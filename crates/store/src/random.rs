//! Randomness from the operating system, or an error. Keys, tokens, receipts and salts come
//! from here; when the source fails the caller gets `Crypto("no randomness")` and stops (start-up
//! fails, a request answers 500). Nothing ever falls back to zeros or a default value, which
//! would make every key or token the same and guessable.

use crate::StoreError;

/// Fills `buf` from the operating system's CSPRNG.
pub fn fill(buf: &mut [u8]) -> Result<(), StoreError> {
    #[cfg(test)]
    if tests::FAIL.with(|f| f.get()) {
        return Err(StoreError::Crypto("no randomness"));
    }
    getrandom::fill(buf).map_err(|_| StoreError::Crypto("no randomness"))
}

/// `N` random bytes from the operating system's CSPRNG.
pub fn bytes<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    thread_local! {
        /// Makes the source fail on this thread, to test that callers stop.
        pub(crate) static FAIL: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `f` with the random source failing on this thread.
    pub(crate) fn failing<T>(f: impl FnOnce() -> T) -> T {
        FAIL.with(|c| c.set(true));
        let out = f();
        FAIL.with(|c| c.set(false));
        out
    }

    #[test]
    fn a_failing_source_is_an_error_never_zeros() {
        assert!(matches!(
            failing(super::bytes::<32>),
            Err(crate::StoreError::Crypto("no randomness"))
        ));
        assert!(failing(|| crate::keys::random_hex(16)).is_err());
        assert!(failing(crate::reports::receipts::new_receipt).is_err());
        let a = super::bytes::<32>().expect("random");
        assert_ne!(a, [0u8; 32]);
        assert_ne!(a, super::bytes::<32>().expect("random"));
    }
}

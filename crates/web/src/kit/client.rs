//! The client's address, for in-memory rate limits and throttle keys only (never stored or
//! logged). Behind proxies it is the rightmost address in `X-Forwarded-For` that is not one of
//! the configured trusted proxies: each proxy appends the address it received the request
//! from, so the entries to the right of the first untrusted one were written by proxies we
//! trust, and everything to its left was written by the client and means nothing.

use crate::AppState;
use crate::kit::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::net::IpAddr;

/// Proxies whose `X-Forwarded-For` is believed (configuration: `PASSAGE_TRUSTED_PROXIES`,
/// comma-separated addresses or CIDR ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<(IpAddr, u8)>,
    /// The immediate peer is a proxy whatever its address (the older `trust_forwarded`
    /// switch): one hop, the rightmost entry, is taken.
    pub immediate_peer: bool,
}

/// Why a list of trusted proxies was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an IP address or CIDR range: {0}")]
pub struct BadProxy(pub String);

impl TrustedProxies {
    /// Parses `10.0.0.1, 10.1.0.0/16, fd00::/8`. Empty entries are skipped.
    pub fn parse(text: &str) -> Result<TrustedProxies, BadProxy> {
        let mut nets = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = || BadProxy(entry.to_string());
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
                None => (entry, None),
            };
            let ip: IpAddr = addr.parse().map_err(|_| bad())?;
            let ip = ip.to_canonical();
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = bits.unwrap_or(max);
            if bits > max {
                return Err(bad());
            }
            nets.push((ip, bits));
        }
        Ok(TrustedProxies {
            nets,
            immediate_peer: false,
        })
    }

    /// Whether no proxy is trusted (the socket's peer is the client).
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty() && !self.immediate_peer
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|&(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), bits),
            _ => false,
        })
    }

    /// The client of a request that reached us from `peer` with these `X-Forwarded-For`
    /// values (in header order).
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        let peer = peer.to_canonical();
        if !(self.immediate_peer || self.contains(peer)) {
            return peer;
        }
        let hops: Vec<&str> = forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                // Unreadable: written by no proxy of ours; the last trusted hop stands.
                return client;
            };
            client = ip;
            if !self.contains(ip) {
                return ip;
            }
        }
        client
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let rest = bits % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

/// One `X-Forwarded-For` entry: an address, possibly with a port or in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| s.ip().to_canonical())
}

/// The client's address, for in-memory rate limits only (never stored or logged).
pub struct ClientSource(pub IpAddr);

impl FromRequestParts<AppState> for ClientSource {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientSource(
            state.config.trusted_proxies.client(peer, &forwarded),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let t = TrustedProxies::default();
        assert_eq!(t.client(ip("203.0.113.9"), &["1.2.3.4"]), ip("203.0.113.9"));
    }

    #[test]
    fn spoofed_leftmost_entries_are_ignored() {
        let t = TrustedProxies::parse("10.0.0.1").expect("list");
        // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
        let got = t.client(ip("10.0.0.1"), &["1.2.3.4, 198.51.100.7"]);
        assert_eq!(got, ip("198.51.100.7"));
        // Any number of forged entries, in any number of headers, change nothing.
        let got = t.client(
            ip("10.0.0.1"),
            &["9.9.9.9, 8.8.8.8", "7.7.7.7, 198.51.100.7"],
        );
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_from_the_right() {
        let t = TrustedProxies::parse("10.0.0.0/8, fd00::/8").expect("list");
        let got = t.client(
            ip("10.0.0.1"),
            &["6.6.6.6, 198.51.100.7, 10.2.3.4, fd00::5"],
        );
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn a_peer_that_is_not_trusted_cannot_forward() {
        let t = TrustedProxies::parse("10.0.0.1").expect("list");
        assert_eq!(t.client(ip("203.0.113.9"), &["1.2.3.4"]), ip("203.0.113.9"));
    }

    #[test]
    fn only_trusted_hops_leave_the_leftmost_trusted_one() {
        let t = TrustedProxies::parse("10.0.0.0/8").expect("list");
        assert_eq!(t.client(ip("10.0.0.1"), &["10.9.9.9"]), ip("10.9.9.9"));
        assert_eq!(t.client(ip("10.0.0.1"), &[]), ip("10.0.0.1"));
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_trusted_one() {
        let t = TrustedProxies::parse("10.0.0.0/8").expect("list");
        assert_eq!(
            t.client(ip("10.0.0.1"), &["1.2.3.4, garbage, 10.0.0.2"]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn the_immediate_peer_switch_takes_one_hop() {
        let t = TrustedProxies {
            immediate_peer: true,
            ..Default::default()
        };
        assert_eq!(
            t.client(ip("127.0.0.1"), &["1.2.3.4, 198.51.100.7"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn ranges_and_ports_parse() {
        let t = TrustedProxies::parse(" 192.168.0.0/23 ,2001:db8::/32,").expect("list");
        assert!(t.contains(ip("192.168.1.200")));
        assert!(!t.contains(ip("192.168.2.1")));
        assert!(t.contains(ip("2001:db8::1")));
        assert!(
            t.contains(ip("::ffff:192.168.0.1")),
            "IPv4-mapped addresses"
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("example.org").is_err());
        assert_eq!(parse_hop("[2001:db8::1]:443"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("198.51.100.7:5000"), Some(ip("198.51.100.7")));
    }
}

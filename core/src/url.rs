//! The loopback rule of `ws://` (protocol.md section 7): which hosts count as
//! this machine. The URL itself is parsed by a WHATWG URL parser that the
//! caller supplies ([`UrlParts`]: the browser's own `URL` in the facade), so
//! the rule judges exactly the host the browser will connect to; the host's
//! address forms are read here (RFC 4291 for IPv6), without `std::net`, which
//! the `no_std` core does not have.

use alloc::string::String;

/// What a WHATWG URL parser (the browser's `URL`) made of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlParts {
    /// `URL.protocol`, e.g. `wss:` (lower case, with the colon).
    pub scheme: String,
    /// `URL.hostname`: IPv4 in dotted decimal, IPv6 in brackets, names
    /// lower-cased and percent-decoded, as the parser normalised them.
    pub host: String,
    /// `URL.username` or `URL.password` is not empty.
    pub has_credentials: bool,
    /// The URL has a fragment, even an empty one (`new WebSocket` refuses it).
    pub has_fragment: bool,
}

/// True for `localhost` (any case), an IPv4 address in `127.0.0.0/8` written
/// as four decimal parts, or the IPv6 loopback `::1` in any of its spellings
/// (with or without brackets).
pub fn is_loopback(host: &str) -> bool {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || ipv4(host).is_some_and(|[first, ..]| first == 127)
        || ipv6(host) == Some([0, 0, 0, 0, 0, 0, 0, 1])
}

/// Four decimal parts of 0 to 255, no leading zeros.
fn ipv4(text: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = text.split('.');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// Eight groups of up to four hex digits, one `::` allowed (no embedded IPv4).
fn ipv6(text: &str) -> Option<[u16; 8]> {
    let group = |g: &str| -> Option<u16> {
        if g.is_empty() || g.len() > 4 {
            return None;
        }
        u16::from_str_radix(g, 16).ok()
    };
    let mut out = [0u16; 8];
    let (head, tail) = match crate::text::split_once(text, "::") {
        Some((h, t)) => (h, Some(t)),
        None => (text, None),
    };
    let head: &[&str] = &split_groups(head);
    let tail_groups = tail.map(split_groups);
    let tail: &[&str] = tail_groups.as_deref().unwrap_or(&[]);
    let total = head.len() + tail.len();
    if (tail_groups.is_none() && total != 8) || total > 7 && tail_groups.is_some() {
        return None;
    }
    for (slot, g) in out.iter_mut().zip(head) {
        *slot = group(g)?;
    }
    for (slot, g) in out.iter_mut().skip(8 - tail.len()).zip(tail) {
        *slot = group(g)?;
    }
    Some(out)
}

fn split_groups(text: &str) -> alloc::vec::Vec<&str> {
    if text.is_empty() {
        alloc::vec::Vec::new()
    } else {
        text.split(':').collect()
    }
}

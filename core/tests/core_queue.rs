//! The offline send queue (`optave_core::connection::queue`): order, the
//! limits by count and by bytes, and that a refusal drops nothing.
#![cfg(not(target_arch = "wasm32"))]

use optave_core::connection::queue::{
    Full, Queued, SendQueue, DEFAULT_QUEUE_LIMIT, QUEUE_MAX_BYTES,
};

fn item(id: &str, bytes: usize) -> Queued {
    Queued {
        correlation_id: id.into(),
        text: "x".repeat(bytes),
    }
}

#[test]
fn documented_limits() {
    assert_eq!(DEFAULT_QUEUE_LIMIT, 100);
    assert_eq!(QUEUE_MAX_BYTES, 1_048_576);
    assert_eq!(SendQueue::default(), SendQueue::new(100));
}

#[test]
fn first_in_first_out() {
    let mut q = SendQueue::default();
    for i in 0..5 {
        q.push(item(&format!("c{i}"), 10)).unwrap();
    }
    assert_eq!((q.len(), q.bytes()), (5, 50));
    let order: Vec<String> = std::iter::from_fn(|| q.pop())
        .map(|q| q.correlation_id)
        .collect();
    assert_eq!(order, ["c0", "c1", "c2", "c3", "c4"]);
    assert!(q.is_empty() && q.bytes() == 0);
}

#[test]
fn the_count_limit_refuses_and_keeps_everything_queued() {
    let mut q = SendQueue::new(3);
    for i in 0..3 {
        q.push(item(&format!("c{i}"), 1)).unwrap();
    }
    let (back, why) = q.push(item("c3", 1)).unwrap_err();
    assert_eq!(why, Full::Count { limit: 3 });
    assert_eq!(back.correlation_id, "c3");
    assert_eq!(q.len(), 3);
    q.pop();
    q.push(item("c3", 1)).unwrap();
}

#[test]
fn the_byte_limit_refuses_and_keeps_everything_queued() {
    let mut q = SendQueue::default();
    q.push(item("a", 600_000)).unwrap();
    let (back, why) = q.push(item("b", 500_000)).unwrap_err();
    assert_eq!(
        why,
        Full::Bytes {
            would_hold: 1_100_000
        }
    );
    assert_eq!(back.text.len(), 500_000);
    assert_eq!((q.len(), q.bytes()), (1, 600_000));
    q.push(item("c", QUEUE_MAX_BYTES - 600_000)).unwrap();
    assert_eq!(q.bytes(), QUEUE_MAX_BYTES);
}

#[test]
fn remove_and_push_front_keep_the_byte_count() {
    let mut q = SendQueue::default();
    for (id, n) in [("a", 1), ("b", 2), ("c", 3)] {
        q.push(item(id, n)).unwrap();
    }
    assert!(q.contains("b"));
    assert_eq!(q.remove("b").map(|q| q.text.len()), Some(2));
    assert!(!q.contains("b") && q.remove("b").is_none());
    assert_eq!(q.bytes(), 4);
    let first = q.pop().unwrap();
    q.push_front(first);
    assert_eq!((q.len(), q.bytes()), (2, 4));
    assert_eq!(q.pop().unwrap().correlation_id, "a");
}

//! The pending-request table.
#![cfg(not(target_arch = "wasm32"))]

use optave_core::requests::RequestTable;

fn table() -> RequestTable<&'static str> {
    let mut t = RequestTable::default();
    t.register("a".into(), 300.0, "A").unwrap();
    t.register("b".into(), 100.0, "B").unwrap();
    t.register("c".into(), 200.0, "C").unwrap();
    t
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn empty_table() {
    let mut t: RequestTable<u8> = RequestTable::default();
    assert!(t.is_empty());
    assert_eq!(t.len(), 0);
    assert_eq!(t.next_deadline(), None);
    assert!(t.expire(f64::MAX).is_empty());
    assert!(t.drain().is_empty());
    assert_eq!(t.take("x"), None);
}

#[test]
fn register_and_take() {
    let mut t = table();
    assert_eq!(t.len(), 3);
    assert!(t.contains("b"));
    assert_eq!(t.take("b"), Some("B"));
    assert!(!t.contains("b"));
    assert_eq!(t.take("b"), None);
    assert_eq!(t.len(), 2);
    assert_eq!(t.take("unknown"), None);
}

#[test]
fn duplicate_id_is_refused_and_the_first_is_kept() {
    let mut t = table();
    assert_eq!(t.register("a".into(), 50.0, "A2"), Err("A2"));
    assert_eq!(t.len(), 3);
    assert_eq!(t.next_deadline(), Some(100.0));
    assert_eq!(t.take("a"), Some("A"));
    // Once settled, the id can be used again.
    assert_eq!(t.register("a".into(), 50.0, "A3"), Ok(()));
    assert_eq!(t.next_deadline(), Some(50.0));
}

#[test]
fn expire_is_inclusive_of_the_deadline() {
    let mut t = table();
    assert!(t.expire(99.9).is_empty());
    assert_eq!(t.expire(100.0), [("b".to_owned(), "B")]);
    assert_eq!(t.len(), 2);
    assert_eq!(t.next_deadline(), Some(200.0));
    let due = sorted(t.expire(1_000.0));
    assert_eq!(due, [("a".to_owned(), "A"), ("c".to_owned(), "C")]);
    assert!(t.is_empty());
    assert_eq!(t.next_deadline(), None);
}

#[test]
fn drain_removes_everything() {
    let mut t = table();
    let all = sorted(t.drain());
    assert_eq!(
        all,
        [
            ("a".to_owned(), "A"),
            ("b".to_owned(), "B"),
            ("c".to_owned(), "C")
        ]
    );
    assert!(t.is_empty());
    assert_eq!(t.next_deadline(), None);
}

#[test]
fn next_deadline_is_the_minimum() {
    let mut t = table();
    assert_eq!(t.next_deadline(), Some(100.0));
    t.take("b");
    assert_eq!(t.next_deadline(), Some(200.0));
    t.register("d".into(), 150.5, "D").unwrap();
    assert_eq!(t.next_deadline(), Some(150.5));
}

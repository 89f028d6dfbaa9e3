//! The pending-request table.
#![cfg(not(target_arch = "wasm32"))]

use optave_core::error::{Detail, ErrorCategory, ErrorCode};
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

#[test]
fn check_free_refuses_a_pending_id() {
    let mut t = table();
    assert_eq!(t.check_free("d", 10.0), Ok(()));
    assert_eq!(t.check_free("", 10.0), Ok(()));
    // 2024-01-15T10:31:00.000Z
    let err = t.check_free("a", 1_705_314_660_000.0).unwrap_err();
    assert_eq!(err.category, ErrorCategory::Validation);
    assert!(err.is(ErrorCode::DuplicateCorrelationId), "{err}");
    assert_eq!(err.code, "DUPLICATE_CORRELATION_ID");
    assert_eq!(err.correlation_id.as_deref(), Some("a"));
    assert!(err.message.contains("\"a\""), "{}", err.message);
    assert!(err.message.contains("already pending"), "{}", err.message);
    assert_eq!(err.details, Detail::Null);
    assert!(!err.suggestions.is_empty());
    assert_eq!(err.timestamp, "2024-01-15T10:31:00.000Z");
    for id in ["b", "c"] {
        let err = t.check_free(id, 0.0).unwrap_err();
        assert!(err.is(ErrorCode::DuplicateCorrelationId), "{id}");
        assert_eq!(err.correlation_id.as_deref(), Some(id));
    }
    // Checking changes nothing.
    assert_eq!(t.len(), 3);
    assert_eq!(t.next_deadline(), Some(100.0));
    // Once settled, the id is free again.
    assert_eq!(t.take("a"), Some("A"));
    assert_eq!(t.check_free("a", 10.0), Ok(()));
    // Expired ids are free too.
    t.expire(100.0);
    assert_eq!(t.check_free("b", 10.0), Ok(()));
    assert!(t.check_free("c", 10.0).is_err());
    t.drain();
    assert_eq!(t.check_free("c", 10.0), Ok(()));
}

#[test]
fn check_free_compares_ids_exactly() {
    let mut t: RequestTable<u8> = RequestTable::default();
    t.register("dup-1".into(), 100.0, 1).unwrap();
    assert!(t.check_free("dup-1", 0.0).is_err());
    for other in ["dup-", "dup-10", "DUP-1", " dup-1", "dup-1 "] {
        assert_eq!(t.check_free(other, 0.0), Ok(()), "{other:?}");
    }
}

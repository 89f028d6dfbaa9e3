//! The merge of caller params onto the default payload (protocol.md section 3).
//!
//! Objects merge key by key, recursively; arrays are replaced whole; a value
//! from the caller (including `null`) wins; keys the defaults lack are kept.
//! `undefined` never reaches here: JSON serialization drops it, so it falls
//! back to the default, as in the official client.

use serde_json::Value;

/// Merges `overlay` onto `base` in place.
pub fn merge_into(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(base_map), Value::Object(overlay_map)) => {
            for (key, value) in overlay_map {
                match base_map.get_mut(&key) {
                    Some(slot) => merge_into(slot, value),
                    None => {
                        base_map.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

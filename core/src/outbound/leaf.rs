//! One scalar or array member of the merged payload, written: the caller's
//! value or the default, a legacy value moved in, the client config filled in
//! for a blank `organizationId`/`sessionId`, the variant upper-cased, the
//! links' legacy `expiresAt`, and the capture the required-field checks read.

use alloc::string::String;

use super::check::{check, Path};
use super::template::{Def, Slot, Tag};
use super::walk::{Cap, Res, Walk};
use crate::json::{self, Kind, Node};

impl Walk<'_> {
    /// Writes a scalar or array member (`top`: the caller's node, `None`: the default).
    pub(super) fn leaf(&mut self, slot: &Slot, top: Option<u32>, path: &Path<'_>) -> Res {
        let injected = match slot.tag {
            Tag::Variant => self.legacy.variation,
            Tag::Content => self.legacy.content,
            _ => None,
        };
        let top = match (top, injected) {
            (Some(t), Some(i)) if self.is_blank(t) => Some(i),
            (None, Some(i)) => Some(i),
            (top, _) => top,
        };
        if let (Some(t), true) = (top, self.config.strict) {
            check(self.text, self.doc, t, slot.ty, path)?;
        }
        let fill = match slot.tag {
            Tag::OrganizationId => self.config.organization_id.as_deref(),
            Tag::SessionId => self.config.session_id.as_deref(),
            _ => None,
        };
        let cap = slot.tag.capture();
        let Some(top) = top else {
            // The default, or the config value in its place.
            match (fill, slot.def) {
                (Some(value), _) => {
                    json::push_string(self.out, value);
                    self.set_cap(cap, filled(value));
                }
                (None, Def::Text(text)) => {
                    self.out.push_str(text);
                    let c = match text {
                        "[]" => Cap::EmptyArr,
                        t if t.starts_with('[') => Cap::NonEmptyArr,
                        _ => Cap::Blank,
                    };
                    self.set_cap(cap, c);
                }
                _ => self.out.push_str("null"),
            }
            return Ok(());
        };
        let node = self.node(top);
        if let Some(value) = fill.filter(|_| self.is_blank_text(&node)) {
            json::push_string(self.out, value);
            self.set_cap(cap, filled(value));
            return Ok(());
        }
        match (slot.tag, node.kind) {
            (Tag::Variant, Kind::Str) => self.upper_case(&node),
            (Tag::Links, Kind::Arr) => self.links(top, path)?,
            _ => self.out.push_str(json::raw(self.text, &node)),
        }
        if cap.is_none() {
            return Ok(());
        }
        let c = match node.kind {
            Kind::Str if !json::string(self.text, &node).trim().is_empty() => Cap::Str(top),
            Kind::Arr if node.len > 0 => Cap::NonEmptyArr,
            Kind::Arr => Cap::EmptyArr,
            _ => Cap::Blank,
        };
        self.set_cap(cap, c);
        Ok(())
    }

    fn set_cap(&mut self, index: Option<usize>, cap: Cap) {
        if let Some(slot) = index.and_then(|i| self.caps.get_mut(i)) {
            *slot = cap;
        }
    }

    /// `null`, or a string of nothing but white space (filled from the config).
    fn is_blank_text(&self, node: &Node) -> bool {
        node.kind == Kind::Null
            || (node.kind == Kind::Str && json::string(self.text, node).trim().is_empty())
    }

    /// `request.attributes.variant` is sent upper-cased.
    fn upper_case(&mut self, node: &Node) {
        if node.escaped {
            let mut value = String::from(json::string(self.text, node));
            value.make_ascii_uppercase();
            json::push_string(self.out, &value);
        } else {
            let from = self.out.len();
            self.out.push_str(json::raw(self.text, node));
            if let Some(written) = self.out.get_mut(from..) {
                written.make_ascii_uppercase();
            }
        }
    }
}

/// The capture of a value filled from the client config.
fn filled(value: &str) -> Cap {
    if value.trim().is_empty() {
        Cap::Blank
    } else {
        Cap::Filled
    }
}

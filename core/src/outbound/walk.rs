//! The one walk: the caller's params merged onto the default payload and
//! written as wire text, with the legacy rewrites, the client-config fills,
//! `strictValidation`, and the captures that the required-field and size
//! checks read (protocol.md section 3).
//!
//! Scalars and arrays, with the config fills and the captures, are written
//! by `leaf.rs`. Objects merge key by key, recursively; arrays are replaced whole; a value
//! from the caller (`null` included) wins; keys the defaults lack are kept.
//! The caller's members come first, in the caller's order, copied through as
//! `JSON.stringify` wrote them; the defaults the caller left out follow.
//!
//! Legacy spellings (protocol.md section 3, seed 002), rewritten in the walk
//! (`legacy.rs`):
//! `request.variation` / `request.content` fill `request.attributes.variant` /
//! `.content` when those are blank (absent, `null` or `""`);
//! `request.scope.resources` becomes the base of `request.resources` (an
//! explicit `request.resources` object merges on top of it); a link's
//! `expiresAt` fills `expires_at` when that is blank.

use alloc::string::String;
use alloc::vec::Vec;

use super::check::{Mismatch, Path, Seg};
use super::legacy::Legacy;
use super::template::{Def, Slot, Tag, Ty};
use super::EnvelopeConfig;
use crate::json::{self, Doc, Kind, Node};
use crate::legacy::Deprecation;

/// What the walk saw of a captured slot ([`Tag::CAPTURED`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Not in the merged payload (a parent was replaced by a non-object).
    Missing,
    /// A blank string (empty or white space), `null`, or another kind.
    Blank,
    /// A non-blank string of the caller: this node.
    Str(u32),
    /// A non-blank string from the client config.
    Filled,
    /// An empty array.
    EmptyArr,
    /// A non-empty array.
    NonEmptyArr,
}

/// The values of one member across merge layers, later ones winning.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stack {
    pub(super) nodes: [u32; 2],
    pub(super) len: usize,
}

impl Stack {
    pub(super) fn one(node: u32) -> Self {
        Self {
            nodes: [node, 0],
            len: 1,
        }
    }

    fn top(&self) -> u32 {
        self.nodes
            .get(self.len.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }
}

/// One walk over one document, writing to `out`.
pub struct Walk<'a> {
    pub(super) text: &'a str,
    pub(super) doc: &'a Doc,
    pub(super) config: &'a EnvelopeConfig,
    pub(super) out: &'a mut String,
    /// The captured slots, indexed as [`Tag::CAPTURED`].
    pub caps: [Cap; Tag::CAPTURED.len()],
    /// Bytes written for each [`Tag::MEASURED`] slot.
    pub sizes: [usize; Tag::MEASURED.len()],
    /// Legacy inputs that were accepted.
    pub deprecations: Vec<Deprecation>,
    pub(super) legacy: Legacy,
}

impl core::fmt::Debug for Walk<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Walk")
    }
}

pub(super) type Res = Result<(), Mismatch>;

impl<'a> Walk<'a> {
    /// A walk of `doc` (indexed from `text`) writing to `out`.
    pub fn new(
        text: &'a str,
        doc: &'a Doc,
        config: &'a EnvelopeConfig,
        out: &'a mut String,
    ) -> Self {
        Self {
            text,
            doc,
            config,
            out,
            caps: [Cap::Missing; Tag::CAPTURED.len()],
            sizes: [0; Tag::MEASURED.len()],
            deprecations: Vec::new(),
            legacy: Legacy::default(),
        }
    }

    pub(super) fn node(&self, i: u32) -> Node {
        self.doc.node(i).copied().unwrap_or(NULL_NODE)
    }

    pub(super) fn kind(&self, i: u32) -> Kind {
        self.node(i).kind
    }

    pub(super) fn member(&self, obj: u32, key: &str) -> Option<u32> {
        self.doc.member(self.text, obj, key)
    }

    /// Writes the object of `slots` merged from `layers` (caller objects, the
    /// later winning) and, with `defaults`, the defaults they leave out.
    pub fn object(
        &mut self,
        slots: &'static [Slot],
        layers: &[u32],
        defaults: bool,
        path: &Path<'_>,
    ) -> Res {
        self.out.push('{');
        let mut seen: u32 = 0;
        let mut first = true;
        let mut span: Option<(u32, u32)> = None;
        for (li, &layer) in layers.iter().enumerate() {
            for child in self.doc.children(layer) {
                let node = self.node(child);
                let mut stack = Stack::one(child);
                if layers.len() > 1 {
                    let key = json::key(self.text, &node);
                    if layers
                        .iter()
                        .take(li)
                        .any(|&l| self.member(l, &key).is_some())
                    {
                        continue; // written at its first layer
                    }
                    for &later in layers.iter().skip(li + 1) {
                        if let (Some(m), Some(slot)) =
                            (self.member(later, &key), stack.nodes.get_mut(1))
                        {
                            *slot = m;
                            stack.len = 2;
                        }
                    }
                }
                let index = slots
                    .iter()
                    .position(|s| json::key_is(self.text, &node, s.name));
                let slot = index.and_then(|i| slots.get(i));
                if let Some(i) = index {
                    seen |= 1u32.checked_shl(i as u32).unwrap_or(0);
                }
                if slot.is_some_and(|s| self.skipped(s)) {
                    self.flush(&mut span, &mut first);
                    continue;
                }
                // Members copied as written extend one span of the caller's
                // text (commas between them included): one copy for the run.
                if layers.len() == 1 && slot.is_none_or(|s| self.verbatim(s, node.kind)) {
                    span = match span {
                        Some((start, _)) => Some((start, node.end)),
                        None => Some((node.key_start, node.end)),
                    };
                    continue;
                }
                self.flush(&mut span, &mut first);
                if !first {
                    self.out.push(',');
                }
                first = false;
                self.out.push_str(json::raw_key(self.text, &node));
                self.out.push(':');
                match slot {
                    Some(slot) => self.member_value(slot, stack, path)?,
                    None => self.unknown_value(stack, path)?,
                }
            }
            self.flush(&mut span, &mut first);
        }
        if defaults {
            for (i, slot) in slots.iter().enumerate() {
                let given = seen & 1u32.checked_shl(i as u32).unwrap_or(0) != 0;
                if given || matches!(slot.def, Def::None) {
                    continue;
                }
                if !first {
                    self.out.push(',');
                }
                first = false;
                self.out.push('"');
                self.out.push_str(slot.name);
                self.out.push_str("\":");
                self.default_value(slot, path)?;
            }
        }
        self.out.push('}');
        Ok(())
    }

    /// `strictValidation` is on.
    pub(super) fn strict(&self) -> bool {
        self.config.strict
    }

    /// Writes the pending run of members copied as written.
    fn flush(&mut self, span: &mut Option<(u32, u32)>, first: &mut bool) {
        if let Some((start, end)) = span.take() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
            self.out.push_str(json::slice(self.text, start, end));
        }
    }

    /// A known member whose value is copied as the caller wrote it: no tag,
    /// not an object to merge, and no type to check.
    fn verbatim(&self, slot: &Slot, kind: Kind) -> bool {
        slot.tag == Tag::None
            && !self.config.strict
            && !(matches!(slot.ty, Ty::Obj(_)) && kind == Kind::Obj)
    }

    /// Members another member of the merge stands for.
    fn skipped(&self, slot: &Slot) -> bool {
        match slot.tag {
            Tag::Headers | Tag::ScopeResources => true,
            Tag::LegacyVariation | Tag::LegacyContent => self.legacy.attrs_apply,
            _ => false,
        }
    }

    /// The objects at the end of `stack` that merge together (a non-object
    /// replaces what is under it).
    fn object_layers(&self, stack: Stack) -> ([u32; 2], usize) {
        let [under, over] = stack.nodes;
        if stack.len == 2 && self.kind(under) == Kind::Obj && self.kind(over) == Kind::Obj {
            (stack.nodes, 2)
        } else {
            ([stack.top(), 0], 1)
        }
    }

    fn member_value(&mut self, slot: &Slot, stack: Stack, path: &Path<'_>) -> Res {
        let stack = match (slot.tag, self.legacy.resources) {
            (Tag::Resources, Some(moved)) => moved,
            _ => stack,
        };
        self.value(slot, Some(stack), path)
    }

    /// A member the template does not know: copied through (objects given in
    /// two layers are merged).
    fn unknown_value(&mut self, stack: Stack, path: &Path<'_>) -> Res {
        let top = stack.top();
        if stack.len > 1 && self.kind(top) == Kind::Obj {
            let (layers, n) = self.object_layers(stack);
            return self.object(&[], layers.get(..n).unwrap_or_default(), false, path);
        }
        let raw = json::raw(self.text, &self.node(top));
        self.out.push_str(raw);
        Ok(())
    }

    /// A default the caller left out.
    fn default_value(&mut self, slot: &Slot, path: &Path<'_>) -> Res {
        if slot.tag == Tag::Resources {
            if let Some(moved) = self.legacy.resources {
                return self.value(slot, Some(moved), path);
            }
        }
        self.value(slot, None, path)
    }

    /// Writes the merged value of `slot`: the caller's (`stack`) or the default.
    fn value(&mut self, slot: &Slot, stack: Option<Stack>, path: &Path<'_>) -> Res {
        let path = path.child(Seg::Name(slot.name));
        let top = stack.map(|s| s.top());
        let start = self.out.len();
        match (slot.ty, top.map(|t| self.kind(t))) {
            (Ty::Obj(children), Some(Kind::Obj)) => {
                let Some(stack) = stack else { return Ok(()) };
                let (layers, n) = self.object_layers(stack);
                let layers = layers.get(..n).unwrap_or_default();
                if slot.tag == Tag::Request {
                    self.find_legacy(top.unwrap_or(0));
                }
                self.object(children, layers, matches!(slot.def, Def::Obj), &path)?;
            }
            (Ty::Obj(children), None) => self.object(children, &[], true, &path)?,
            _ => self.leaf(slot, top, &path)?,
        }
        if let Some(m) = slot.tag.measured().and_then(|m| self.sizes.get_mut(m)) {
            *m = self.out.len() - start;
        }
        Ok(())
    }

    /// `null` or `""` (the legacy rules' "blank").
    pub(super) fn is_blank(&self, i: u32) -> bool {
        let node = self.node(i);
        node.kind == Kind::Null || (node.kind == Kind::Str && node.end - node.start == 2)
    }
}

const NULL_NODE: Node = Node {
    kind: Kind::Null,
    escaped: false,
    key_escaped: false,
    start: 0,
    end: 0,
    key_start: 0,
    key_end: 0,
    after: 0,
    len: 0,
};

//! The legacy spellings the walk rewrites (protocol.md section 3, seed 002):
//! `request.variation` / `request.content` fill `request.attributes.variant` /
//! `.content` when those are blank (absent, `null` or `""`);
//! `request.scope.resources` becomes the base of `request.resources` (an
//! explicit `request.resources` object merges on top of it); a link's
//! `expiresAt` fills `expires_at` when that is blank. Each kind is reported
//! as a [`Deprecation`].

use super::check::{check, Mismatch, Path, Seg};
use super::template::Ty;
use super::walk::{Stack, Walk};
use crate::json::{self, Kind};
use crate::legacy::Deprecation;

/// Legacy rewrites found under `request`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Legacy {
    /// `request.variation` / `request.content` move into `attributes`.
    pub(super) attrs_apply: bool,
    pub(super) variation: Option<u32>,
    pub(super) content: Option<u32>,
    /// The value of `request.resources` when `request.scope.resources` is given.
    pub(super) resources: Option<Stack>,
}

impl Walk<'_> {
    /// Looks for the legacy spellings under `request` (node `request`).
    pub(super) fn find_legacy(&mut self, request: u32) {
        let attrs = self.member(request, "attributes");
        let variation = self.member(request, "variation");
        let content = self.member(request, "content");
        if variation.is_some() {
            self.deprecate(Deprecation::RequestVariation);
        }
        if content.is_some() {
            self.deprecate(Deprecation::RequestContent);
        }
        let attrs_apply = attrs.is_none_or(|a| self.kind(a) == Kind::Obj);
        let scope = self
            .member(request, "scope")
            .filter(|&s| self.kind(s) == Kind::Obj);
        let moved = scope.and_then(|s| self.member(s, "resources"));
        let resources = moved.map(|moved| {
            self.deprecate(Deprecation::ScopeResources);
            match self.member(request, "resources") {
                Some(own) if self.kind(own) == Kind::Obj => Stack {
                    nodes: [moved, own],
                    len: 2,
                },
                _ => Stack::one(moved),
            }
        });
        self.legacy = Legacy {
            attrs_apply,
            variation: variation.filter(|_| attrs_apply),
            content: content.filter(|_| attrs_apply),
            resources,
        };
    }

    pub(super) fn deprecate(&mut self, d: Deprecation) {
        if !self.deprecations.contains(&d) {
            self.deprecations.push(d);
        }
    }

    /// `request.resources.links`: an item's `expiresAt` fills a blank `expires_at`.
    pub(super) fn links(&mut self, array: u32, path: &Path<'_>) -> Result<(), Mismatch> {
        self.out.push('[');
        for (n, item) in self.doc.children(array).enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            let node = self.node(item);
            let legacy = (node.kind == Kind::Obj)
                .then(|| self.member(item, "expiresAt"))
                .flatten();
            let Some(legacy) = legacy else {
                self.out.push_str(json::raw(self.text, &node));
                continue;
            };
            self.deprecate(Deprecation::LinkExpiresAt);
            let own = self.member(item, "expires_at");
            let value = match own {
                Some(own) if !self.is_blank(own) => own,
                _ => legacy,
            };
            // The legacy value is checked where it is sent (an unused one is dropped).
            if value == legacy && self.strict() {
                let at = path.child(Seg::Index(n as u32));
                check(
                    self.text,
                    self.doc,
                    legacy,
                    Ty::Str,
                    &at.child(Seg::Name("expires_at")),
                )?;
            }
            self.out.push('{');
            let mut first = true;
            for child in self.doc.children(item) {
                let member = self.node(child);
                let is_legacy = json::key_is(self.text, &member, "expiresAt");
                let is_own = json::key_is(self.text, &member, "expires_at");
                // `expires_at` goes where it stood, or where `expiresAt` stood.
                let write = if is_own || (is_legacy && own.is_none()) {
                    Some(value)
                } else if is_legacy {
                    None
                } else {
                    Some(child)
                };
                let Some(write) = write else { continue };
                if !first {
                    self.out.push(',');
                }
                first = false;
                if is_legacy || is_own {
                    self.out.push_str("\"expires_at\":");
                } else {
                    self.out.push_str(json::raw_key(self.text, &member));
                    self.out.push(':');
                }
                self.out.push_str(json::raw(self.text, &self.node(write)));
            }
            self.out.push('}');
        }
        self.out.push(']');
        Ok(())
    }
}

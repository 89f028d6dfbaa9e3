//! The per-action params types (protocol.md section 4): `RequestParams` with
//! the fields an action requires after the merge made required, the
//! `ActionParams` map from action name to params type, `ParamsFor<A>` and the
//! `Action` union.
//!
//! They are generated, never written by hand: the required paths come from
//! the runtime's own table ([`Action::requirements`], the one the
//! `REQUIRED_FIELDS_MISSING` check reads), the type of each path is looked up
//! member by member in the model's declarations, from `RequestParams` down.
//! A path the model does not declare, or whose type does not fit what the
//! check needs, fails the build.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::action::{Action, Need};
use crate::outbound::template::Tag;

use super::ts_doc::{doc_comment, push_indent};

/// Required fields the client fills from its options when a call leaves them
/// blank (`request.context.organizationId`, from the `organizationId`
/// option): required on the wire, optional in the params types.
const FILLED_BY_OPTIONS: [Tag; 1] = [Tag::OrganizationId];

/// The legacy places the runtime still reads for a required field
/// (protocol.md section 3, seed 002), as `(canonical, legacy)` path prefixes:
/// `request.content` fills a blank `request.attributes.content`, and
/// `request.scope.resources` is moved to `request.resources`. Each is
/// deprecated (warned once per client); the params types accept them as the
/// first alternative of a union whose last is the canonical place (the one
/// tsc's messages then name).
pub const LEGACY_PLACES: [(&str, &str); 2] = [
    ("request.attributes.content", "request.content"),
    ("request.resources", "request.scope.resources"),
];

/// The type every params type refines: what every sender accepts.
const BASE: &str = "RequestParams";

/// A field that a params type requires (protocol.md section 4): one entry of
/// [`Action::requirements`] that the client's options cannot fill, e.g.
/// `{ path: "request.scope.conversations", need: Items, legacy: None }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedField {
    /// Its dotted path from the params, e.g. `request.connections.threadId`.
    pub path: &'static str,
    /// What it must hold: a string (non-blank, which only the runtime checks),
    /// or an array with at least one item (`[T, ...T[]]` in the types).
    pub need: Need,
    /// The deprecated path the runtime also reads for it ([`LEGACY_PLACES`]).
    pub legacy: Option<String>,
}

/// The action whose params type `action` takes: itself, or `interaction` for
/// the deprecated `customerInteraction` alias (protocol.md section 4: "as
/// `interaction`").
pub fn params_action(action: Action) -> Action {
    if action.is_deprecated() {
        Action::Interaction
    } else {
        action
    }
}

/// The name of the params type `action` takes (protocol.md section 4): the
/// method name in PascalCase plus `Params`, e.g. `AdjustParams`
/// (`customerInteraction` takes `InteractionParams`).
pub fn params_type_name(action: Action) -> String {
    let name = params_action(action).method_name();
    let mut chars = name.chars();
    let mut out = String::with_capacity(name.len() + 6);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
    }
    out.extend(chars);
    out.push_str("Params");
    out
}

/// The fields the params type of `action` requires (protocol.md section 4),
/// in the order of [`Action::requirements`]: `threadId` and `conversations`
/// for every action, then `offers` (recommend), `content`, `instruction`
/// (adjust) and `parentId` (elevate, adjust).
pub fn typed_fields(action: Action) -> Vec<TypedField> {
    params_action(action)
        .requirements()
        .iter()
        .filter(|(tag, ..)| !FILLED_BY_OPTIONS.contains(tag))
        .map(|&(_, path, need, _)| TypedField {
            path,
            need,
            legacy: legacy_path(path),
        })
        .collect()
}

/// The legacy spelling of `path`, when [`LEGACY_PLACES`] has one.
fn legacy_path(path: &str) -> Option<String> {
    LEGACY_PLACES.iter().find_map(|(canonical, legacy)| {
        let rest = path.strip_prefix(canonical)?;
        (rest.is_empty() || rest.starts_with('.')).then(|| format!("{legacy}{rest}"))
    })
}

/// The name a declaration declares (`export interface X` / `export type X`).
fn declared_name(decl: &str) -> Option<&str> {
    let rest = decl.lines().find_map(|l| {
        l.strip_prefix("export interface ")
            .or_else(|| l.strip_prefix("export type "))
    })?;
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    rest.get(..end)
}

/// The declared type of `member` in an interface declaration (`member?: T;`).
fn member_type<'a>(decl: &'a str, member: &str) -> Option<&'a str> {
    decl.lines().map(str::trim).find_map(|line| {
        let rest = line.strip_prefix(member)?;
        rest.strip_prefix("?: ")
            .or_else(|| rest.strip_prefix(": "))?
            .strip_suffix(';')
    })
}

/// The declared type at `path`, followed member by member from [`BASE`].
fn declared_type(model: &[&'static str], path: &str) -> Result<&'static str, String> {
    let mut ty = BASE;
    for member in path.split('.') {
        let decl = model
            .iter()
            .find(|d| declared_name(d) == Some(ty))
            .ok_or_else(|| format!("{path}: the model declares no {ty}"))?;
        ty = member_type(decl, member)
            .ok_or_else(|| format!("{path}: {ty} has no member `{member}`"))?;
    }
    Ok(ty)
}

/// The required type of the field at `path`: `string`, or `[T, ...T[]]` for
/// a declared `T[]`.
fn required_type(model: &[&'static str], path: &str, need: Need) -> Result<String, String> {
    let ty = declared_type(model, path)?;
    let is_name =
        |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match need {
        Need::Text if ty == "string" => Ok(String::from(ty)),
        Need::Items => match ty.strip_suffix("[]").filter(|t| is_name(t)) {
            Some(item) => Ok(format!("[{item}, ...{item}[]]")),
            None => Err(format!(
                "{path}: needs items, but the model declares `{ty}`"
            )),
        },
        Need::Text => Err(format!("{path}: needs text, but the model declares `{ty}`")),
    }
}

/// Required members, nested as their paths are.
#[derive(Debug, Default)]
struct Tree(Vec<(String, Node)>);

#[derive(Debug)]
enum Node {
    Leaf(String),
    Obj(Tree),
}

impl Tree {
    fn insert(&mut self, path: &str, ty: String) -> Result<(), String> {
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        let at = self.0.iter().position(|(k, _)| *k == head);
        let Some(rest) = rest else {
            if at.is_some() {
                return Err(format!("`{head}` is required twice"));
            }
            self.0.push((String::from(head), Node::Leaf(ty)));
            return Ok(());
        };
        let at = at.unwrap_or_else(|| {
            self.0
                .push((String::from(head), Node::Obj(Tree::default())));
            self.0.len() - 1
        });
        match self.0.get_mut(at) {
            Some((_, Node::Obj(tree))) => tree.insert(rest, ty),
            _ => Err(format!("`{head}` is both a field and an object")),
        }
    }

    /// `{ member: type; ... }`, members indented one level below `depth`.
    fn render(&self, depth: usize, out: &mut String) {
        out.push_str("{\n");
        for (name, node) in &self.0 {
            push_indent(out, depth + 1);
            out.push_str(name);
            out.push_str(": ");
            match node {
                Node::Leaf(ty) => out.push_str(ty),
                Node::Obj(tree) => tree.render(depth + 1, out),
            }
            out.push_str(";\n");
        }
        push_indent(out, depth);
        out.push('}');
    }
}

/// A tree holding only `path`.
fn single(path: &str, ty: String) -> Result<Tree, String> {
    let mut tree = Tree::default();
    tree.insert(path, ty)?;
    Ok(tree)
}

/// `, ` between items and ` and ` before the last.
fn and_list(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " and " } else { ", " });
        }
        out.push_str(item);
    }
    out
}

/// The declaration of the params type `action` takes.
fn params_declaration(model: &[&'static str], action: Action) -> Result<String, String> {
    let name = params_type_name(action);
    let method = action.method_name();
    let fields = typed_fields(action);
    let aliases: Vec<String> = Action::ALL
        .into_iter()
        .filter(|a| *a != action && params_action(*a) == action)
        .map(|a| format!("`{}` (deprecated alias)", a.method_name()))
        .collect();

    let mut intro = format!(
        "The params of `{method}(params)`, `{method}Async(params, options)` and `send('{method}', params)`"
    );
    if !aliases.is_empty() {
        intro.push_str(&format!(", also taken by {}", and_list(&aliases)));
    }
    intro.push_str(
        ": `RequestParams` with the fields the action requires after the merge onto the default payload (protocol.md section 4) made required, so that a call without one does not compile:",
    );
    let mut doc = alloc::vec![intro, String::new()];
    let mut fixed = Tree::default();
    let mut unions: Vec<(Tree, Tree)> = Vec::new();
    let mut legacy_notes: Vec<String> = Vec::new();
    for field in &fields {
        let ty = required_type(model, field.path, field.need)?;
        let what = match field.need {
            Need::Text => String::from("a string (the runtime also refuses a blank one)"),
            Need::Items => format!("at least one item, `{ty}`"),
        };
        doc.push(format!("- `{}`: {what};", field.path));
        let Some(legacy) = &field.legacy else {
            fixed.insert(field.path, ty)?;
            continue;
        };
        let legacy_ty = required_type(model, legacy, field.need)?;
        if legacy_ty != ty {
            return Err(format!(
                "{legacy} (`{legacy_ty}`) does not stand for {} (`{ty}`)",
                field.path
            ));
        }
        legacy_notes.push(format!("`{legacy}` (deprecated) for `{}`", field.path));
        let alternatives = (single(field.path, ty.clone())?, single(legacy, ty)?);
        unions.push(alternatives);
    }
    doc.push(String::new());
    doc.push(String::from(
        "`request.context.organizationId` is required as well, but is optional here: the client's `organizationId` option fills it when a call leaves it blank. An array typed `Conversation[]` does not fit a non-empty field: write the array in the call, or type it `[Conversation, ...Conversation[]]`.",
    ));
    if !legacy_notes.is_empty() {
        doc.push(format!(
            "The legacy places the runtime still reads are accepted too, as the first alternative of a union whose last is the canonical place (protocol.md section 3, seed 002): {}.",
            and_list(&legacy_notes)
        ));
    }

    let mut out = doc_comment(&doc, 0);
    out.push_str(&format!("export type {name} = {BASE} & "));
    fixed.render(0, &mut out);
    // The legacy alternative first: tsc explains a failed union against its
    // last member, so its messages name the canonical place.
    for (canonical, legacy) in &unions {
        out.push_str(" & (");
        legacy.render(0, &mut out);
        out.push_str(" | ");
        canonical.render(0, &mut out);
        out.push(')');
    }
    out.push(';');
    Ok(out)
}

/// Every name an action is sent by: each method name, then the wire name
/// when it differs (`customerinteraction`).
fn action_names() -> Vec<(&'static str, Action)> {
    let mut names = Vec::new();
    for action in Action::ALL {
        names.push((action.method_name(), action));
        if action.wire_name() != action.method_name() {
            names.push((action.wire_name(), action));
        }
    }
    names
}

/// The generated declarations, in dependency order: `Action`, the params
/// type of each action, `ActionParams`, `ParamsFor`. `model` holds the model's
/// declarations, where the type of every required path is looked up.
///
/// Errors: a required path the model does not declare, or declares with a
/// type that cannot hold what the check needs.
pub fn declarations(model: &[&'static str]) -> Result<Vec<String>, String> {
    let names = action_names();
    let mut out = Vec::new();

    let mut union = String::from(
        "/**\n * An action: a method name, or `customerinteraction` (the deprecated\n * alias's wire name). The nine actions of protocol.md section 4.\n */\nexport type Action =",
    );
    for (i, (name, _)) in names.iter().enumerate() {
        union.push_str(if i == 0 { " \"" } else { " | \"" });
        union.push_str(name);
        union.push('"');
    }
    union.push(';');
    out.push(union);

    for action in Action::ALL {
        if params_action(action) == action {
            out.push(params_declaration(model, action)?);
        }
    }

    let mut map = String::from(
        "/**\n * The params type of each action, by method name and by wire name: what\n * `send(action, params)` and `sendAsync(action, params, options)` take\n * (protocol.md section 4).\n */\nexport interface ActionParams {\n",
    );
    for (name, action) in &names {
        let ty = params_type_name(*action);
        let note = if action.is_deprecated() {
            format!(
                "@deprecated `{}` is an alias of `interaction`: ",
                action.method_name()
            )
        } else {
            String::new()
        };
        let fields: Vec<String> = typed_fields(*action)
            .iter()
            .map(|f| format!("`{}`", f.path))
            .collect();
        let doc = format!(
            "{note}`send('{name}', params)`, `sendAsync('{name}', params, options)`: `{ty}`, which requires {}.",
            and_list(&fields)
        );
        map.push_str(&doc_comment(&[doc], 1));
        map.push_str(&format!("    {name}: {ty};\n"));
    }
    map.push('}');
    out.push(map);

    out.push(String::from(
        "/**\n * The params type of `action`, e.g. `ParamsFor<\"adjust\">` is `AdjustParams`\n * (protocol.md section 4). For the whole `Action` union it is the union of\n * every params type.\n */\nexport type ParamsFor<A extends Action> = ActionParams[A];",
    ));
    Ok(out)
}

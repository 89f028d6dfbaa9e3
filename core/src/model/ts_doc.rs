//! TypeScript doc comments for the generated declarations (`actions.rs`):
//! paragraphs wrapped at 80 columns, code spans kept whole.

use alloc::string::String;
use alloc::vec::Vec;

/// A `/** ... */` comment at `depth`, its paragraphs (`""` for a blank
/// line; a `- ` item continues two columns in) wrapped at 80 columns.
pub(super) fn doc_comment(paragraphs: &[String], depth: usize) -> String {
    let mut out = String::new();
    push_indent(&mut out, depth);
    out.push_str("/**\n");
    let width = 80usize.saturating_sub(depth * 4 + 3);
    for paragraph in paragraphs {
        let hang = if paragraph.starts_with("- ") {
            "  "
        } else {
            ""
        };
        let mut line = String::new();
        for word in words(paragraph) {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                push_doc_line(&mut out, depth, &line);
                line = String::from(hang);
            } else if !line.is_empty() && line != hang {
                line.push(' ');
            }
            line.push_str(word);
        }
        push_doc_line(&mut out, depth, &line);
    }
    push_indent(&mut out, depth);
    out.push_str(" */\n");
    out
}

/// The words of `text`: split at spaces, except inside a `code span`.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                out.extend(text.get(start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.extend(text.get(start..));
    out
}

fn push_doc_line(out: &mut String, depth: usize, line: &str) {
    push_indent(out, depth);
    out.push_str(if line.is_empty() { " *" } else { " * " });
    out.push_str(line);
    out.push('\n');
}

pub(super) fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

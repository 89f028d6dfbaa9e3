//! A step of `make pkg`: short import names in the package's wasm.
//!
//! ```text
//! wasm-imports <in.wasm> <out.wasm> <map.json>
//! ```
//!
//! wasm-bindgen names each import of the wasm after its glue function plus a
//! 16-digit hash (`__wbg_isArray_bcf1376d0d732d08`), under the module
//! `./optave_client_bg.js`, or after the snippet's file path
//! (`./snippets/optave-client-<hash>/js/bindings.js`). Each name is written
//! twice, in the wasm's import section and as a key of the glue's imports
//! object, and the hashes do not compress. This tool gives every module and
//! every import of the glue's module a one-to-three-letter name in the wasm
//! (read and written by walrus, the library wasm-bindgen itself uses) and
//! writes the map `{ "<old name>": "<new name>" }`; the bundling step
//! (`scripts/pkg-entries.mjs bundle`) hands that map to esbuild as its
//! `mangleCache`, so the glue's keys get the same names. The imports of a
//! snippet keep their names: they are the snippet's export names. Exports
//! keep theirs too (`init()` returns them, typed `InitOutput`).
use std::collections::BTreeMap;
use std::process::ExitCode;

/// The glue's own module, whose import names wasm-bindgen generates.
const GLUE_MODULE: &str = "./optave_client_bg.js";

/// The i-th short name: a..z, A..Z, then two and three letters.
fn short_name(i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    let mut n = i as isize;
    loop {
        name.push(LETTERS[n as usize % LETTERS.len()]);
        n = (n / LETTERS.len() as isize) - 1;
        if n < 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// A JSON string literal of `s` (names are ASCII; quotes and backslashes escaped).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn run(input: &str, output: &str, map_path: &str) -> Result<String, String> {
    let bytes = std::fs::read(input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let mut config = walrus::ModuleConfig::new();
    config.generate_producers_section(false);
    let mut module = config
        .parse(&bytes)
        .map_err(|e| format!("{input} is not a wasm module walrus reads: {e}"))?;
    // One name space for modules and fields: the map is one object.
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    let mut next = 0;
    let mut short = |map: &mut BTreeMap<String, String>, old: &str| -> String {
        map.entry(old.to_string())
            .or_insert_with(|| {
                next += 1;
                short_name(next - 1)
            })
            .clone()
    };
    let modules: Vec<String> = {
        let mut seen = Vec::new();
        for import in module.imports.iter() {
            if !seen.contains(&import.module) {
                seen.push(import.module.clone());
            }
        }
        seen
    };
    if !modules.iter().any(|m| m == GLUE_MODULE) {
        return Err(format!(
            "{input} imports nothing from {GLUE_MODULE} (wasm-bindgen changed?)"
        ));
    }
    for m in &modules {
        short(&mut map, m);
    }
    let mut renamed = 0;
    for import in module.imports.iter_mut() {
        if import.module == GLUE_MODULE {
            if map.contains_key(&import.name) {
                return Err(format!(
                    "{input}: {GLUE_MODULE}.{} is imported twice",
                    import.name
                ));
            }
            import.name = short(&mut map, &import.name);
            renamed += 1;
        }
        import.module = map[&import.module].clone();
    }
    let wasm = module.emit_wasm();
    std::fs::write(output, &wasm).map_err(|e| format!("cannot write {output}: {e}"))?;
    let entries: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("  {}: {}", json_string(k), json_string(v)))
        .collect();
    let json = format!("{{\n{}\n}}\n", entries.join(",\n"));
    std::fs::write(map_path, json).map_err(|e| format!("cannot write {map_path}: {e}"))?;
    Ok(format!(
        "wasm-imports: {renamed} imports of {GLUE_MODULE} and {} modules renamed; wasm {} -> {} B",
        modules.len(),
        bytes.len(),
        wasm.len()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, map] = args.as_slice() else {
        eprintln!("usage: wasm-imports <in.wasm> <out.wasm> <map.json>");
        return ExitCode::from(2);
    };
    match run(input, output, map) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-imports: FAIL: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_are_unique_and_grow_from_one_letter() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(51), "Z");
        assert_eq!(short_name(52), "aa");
        let names: std::collections::BTreeSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
    }
}

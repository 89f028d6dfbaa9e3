//! Writes the TypeScript declarations generated from the core's typed model
//! (its Tsify derives, feature `ts`, and the per-action params types built on
//! them from the required-field table, `optave_core::model::actions`) and the
//! `ErrorCode` union (from `ErrorCode::ALL`) to `$OUT_DIR/types.d.ts`;
//! `src/typescript.rs` puts them into the package's `.d.ts`. The wasm itself
//! links none of this.

use std::{env, fs, path::Path};

use optave_core::error::ErrorCode;

fn main() {
    let mut out = String::from(
        "/** Every error code the SDK raises (protocol.md section 6). */\nexport type ErrorCode =",
    );
    for code in ErrorCode::ALL {
        out.push_str(" | \"");
        out.push_str(code.as_str());
        out.push('"');
    }
    out.push_str(";\n\n");
    let decls = match optave_core::model::declarations() {
        Ok(decls) => decls,
        Err(e) => {
            println!("cargo::error=cannot generate the params types: {e}");
            return;
        }
    };
    for decl in decls {
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    let Some(dir) = env::var_os("OUT_DIR") else {
        return;
    };
    let path = Path::new(&dir).join("types.d.ts");
    if fs::read_to_string(&path).ok().as_deref() != Some(out.as_str()) {
        if let Err(e) = fs::write(&path, out) {
            println!("cargo::error=cannot write {}: {e}", path.display());
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}

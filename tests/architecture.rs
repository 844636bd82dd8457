//! The module layering of `src/`: imports run one way (units/math → signal → tx/channel/rx →
//! sim/eq/metrics → budget/power → output/plot/review → cli) and no set of modules imports itself
//! back. Checked on the source text: every `crate::<module>` path names an import. And the library
//! below the command line names no flag in its errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and its layer; a module may import its own layer or lower ones.
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("units", 0),
    ("math", 0),
    ("input", 0),
    ("signal", 1),
    ("tx", 2),
    ("channel", 2),
    ("rx", 2),
    ("eq", 3),
    ("metrics", 3),
    ("sim", 3),
    ("com", 4),
    ("budget", 5),
    ("power", 5),
    ("output", 6),
    ("plot", 6),
    ("review", 7),
    ("cli", 8),
];

fn layer(module: &str) -> u32 {
    LAYERS.iter().find(|(m, _)| *m == module).unwrap_or_else(|| panic!("module {module} has no layer in LAYERS")).1
}

/// `module → the modules it names`, from every `.rs` file under `src/<module>` or `src/<module>.rs`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if ["lib", "main", "test_support"].contains(&name.as_str()) {
            continue;
        }
        let mut text = String::new();
        collect_text(&path, &mut text);
        let mut uses = BTreeSet::new();
        for (module, _) in LAYERS {
            let direct = format!("crate::{module}");
            let grouped = text.match_indices("use crate::{").any(|(i, _)| {
                let group = &text[i..i + text[i..].find(';').unwrap_or(0)];
                group.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == *module)
            });
            let named = text
                .match_indices(&direct)
                .any(|(i, _)| !text[i + direct.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
            if *module != name && (named || grouped) {
                uses.insert(module.to_string());
            }
        }
        graph.insert(name, uses);
    }
    graph
}

fn collect_text(path: &Path, text: &mut String) {
    let mut files = Vec::new();
    collect_files(path, &mut files);
    for file in files {
        *text += &std::fs::read_to_string(file).unwrap();
    }
}

#[test]
fn imports_follow_the_layers() {
    let graph = import_graph();
    assert!(graph.contains_key("sim") && graph.contains_key("output"), "modules: {:?}", graph.keys());
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(m, uses)| uses.iter().filter(|u| layer(u) > layer(m)).map(move |u| format!("{m} -> {u}")))
        .collect();
    assert!(upward.is_empty(), "imports against the layering: {upward:?}");
}

#[test]
fn no_module_imports_itself_back() {
    // Depth-first search for a cycle over the whole graph (pairs and longer loops).
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| *p == m) {
            return Some(path[start..].iter().map(|s| s.to_string()).chain([m.to_string()]).collect());
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let graph = import_graph();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let cycle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(cycle.is_none(), "import cycle: {}", cycle.unwrap().join(" -> "));
    }
}

/// Library errors name the struct field or parameter (`rate_bps`), never a flag (`--rate`): the
/// command line maps fields to its flags when it prints an error. `--set` stays: it is the name of
/// the `section.field=value` override syntax the power and simulator parameters document. Tests
/// and comments may name flags (a test passes `--length` as the field a caller would).
#[test]
fn library_errors_name_fields_not_flags() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect_files(&src, &mut files);
    let mut flags = Vec::new();
    for path in files.iter().filter(|p| !p.starts_with(src.join("cli"))) {
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (i, line) in code.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("\"--") {
                let rest = &line[at + 3..];
                if rest.starts_with(|c: char| c.is_ascii_lowercase()) && !rest.starts_with("set") {
                    flags.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(flags.is_empty(), "library code naming flags:\n{}", flags.join("\n"));
}

/// Every `.rs` file at or under `path`.
fn collect_files(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            collect_files(&entry.unwrap().path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        files.push(path.to_path_buf());
    }
}

//! The JRWA (jednolity rzeczowy wykaz akt): the file plan whose end classes cases are opened
//! under, each with its archival category.
//!
//! A JRWA is loaded from CSV ([`Jrwa::from_csv`], format in `docs/jrwa-csv.md`): the office's
//! own list, a ministry's, or the gmina JRWA of 2011 that ships with the product
//! ([`Jrwa::gmina_2011`], `assets/jrwa/`). Errors that make a list unusable (missing columns,
//! repeated symbols, parent cycles, unknown categories) reject the whole file and name every
//! line at fault; gaps that real lists have (a missing intermediate class, an end class without
//! a category) are accepted and reported as warnings.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::category::Category;
use crate::error::{Error, Result};

/// The gmina JRWA of 2011 (annex 2 to Dz.U. 2011 nr 14 poz. 67), as shipped.
pub const GMINA_2011_CSV: &str = include_str!("../../../assets/jrwa/gmina-2011.csv");

/// The largest JRWA file accepted.
pub const MAX_FILE_BYTES: usize = 16 << 20;
/// The most classes a JRWA may have.
pub const MAX_CLASSES: usize = 100_000;
/// The longest symbol accepted (the gmina JRWA uses four digits).
pub const MAX_SYMBOL_DIGITS: usize = 6;

/// One class of the file plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JrwaClass {
    /// The symbol: its digits are its path (`0012` is under `001`, `00`, `0`).
    pub symbol: String,
    /// The heading (hasło klasyfikacyjne).
    pub heading: String,
    /// The class above it, if any.
    pub parent: Option<String>,
    /// The archival category in the lead unit (komórka macierzysta).
    pub category: Option<Category>,
    /// The archival category in other units, where the list gives one.
    pub category_other: Option<Category>,
    /// What the list adds to the class (uszczegółowienie, exceptions).
    pub notes: String,
    /// How the category was established, where the list says (see `assets/jrwa/README.md`).
    pub category_source: Option<String>,
    /// Whether cases are registered here: the class has no sub-classes.
    pub is_end: bool,
}

impl JrwaClass {
    /// The level: 1 for the ten main classes, 4 for the usual end classes.
    pub fn level(&self) -> usize {
        self.symbol.len()
    }
}

/// A whole file plan.
#[derive(Debug, Clone, Default)]
pub struct Jrwa {
    classes: Vec<JrwaClass>,
    index: HashMap<String, usize>,
}

/// A JRWA read from a file, with what the reader noticed but accepted.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The list.
    pub jrwa: Jrwa,
    /// Gaps accepted: each names its line.
    pub warnings: Vec<String>,
    /// Columns the reader did not use.
    pub ignored_columns: Vec<String>,
    /// The text encoding the file was read in.
    pub encoding: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Symbol,
    LevelColumn(usize),
    Heading,
    Category,
    CategoryOther,
    Notes,
    Parent,
    Level,
    Source,
}

fn role_of(header: &str) -> Option<Role> {
    let key = normalise_header(header);
    Some(match key.as_str() {
        "symbol" | "symbol klasyfikacyjny" | "symbol jrwa" | "klasa" => Role::Symbol,
        "i" => Role::LevelColumn(0),
        "ii" => Role::LevelColumn(1),
        "iii" => Role::LevelColumn(2),
        "iv" => Role::LevelColumn(3),
        "v" => Role::LevelColumn(4),
        "vi" => Role::LevelColumn(5),
        "haslo" | "haslo klasyfikacyjne" | "hasla klasyfikacyjne" | "nazwa" => Role::Heading,
        "kategoria"
        | "kategoria archiwalna"
        | "ka"
        | "ka km"
        | "kategoria km"
        | "kategoria w komorce macierzystej" => Role::Category,
        "kategoria inne" | "ka ki" | "kategoria ki" | "kategoria w innych komorkach" => {
            Role::CategoryOther
        }
        "uwagi" | "uszczegolowienie" | "uszczegolowienie hasla klasyfikacyjnego" => Role::Notes,
        "nadrzedny" | "nadrzedna" | "symbol nadrzedny" | "klasa nadrzedna" | "parent" => {
            Role::Parent
        }
        "poziom" | "level" => Role::Level,
        "zrodlo kategorii" => Role::Source,
        _ => return None,
    })
}

/// Lower case, Polish letters without their marks, runs of anything else as one space.
fn normalise_header(header: &str) -> String {
    let mut out = String::new();
    for c in crate::fold(header).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Collapses runs of white space (including no-break spaces) to one space.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Jrwa {
    /// The gmina JRWA of 2011 that ships with the product.
    pub fn gmina_2011() -> Jrwa {
        Jrwa::from_csv(GMINA_2011_CSV.as_bytes(), "assets/jrwa/gmina-2011.csv")
            .expect("the shipped JRWA is valid (tested)")
            .jrwa
    }

    /// A JRWA from classes already checked (as stored in a library): parents and end classes
    /// are recomputed from the symbols and parent links given.
    pub fn from_classes(mut classes: Vec<JrwaClass>) -> Jrwa {
        classes.sort_by(|a, b| a.symbol.cmp(&b.symbol));
        let with_children: HashSet<String> =
            classes.iter().filter_map(|c| c.parent.clone()).collect();
        for c in &mut classes {
            c.is_end = !with_children.contains(&c.symbol);
        }
        let index = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.symbol.clone(), i))
            .collect();
        Jrwa { classes, index }
    }

    /// Reads a JRWA from CSV bytes (UTF-8, with or without a BOM, or Windows-1250); `source`
    /// names the file in messages.
    pub fn from_csv(bytes: &[u8], source: &str) -> Result<Loaded> {
        let fail = |problems: Vec<String>| Error::Jrwa {
            file: source.to_string(),
            problems,
        };
        if bytes.len() > MAX_FILE_BYTES {
            return Err(fail(vec![format!(
                "the file has {} MB; a JRWA file is at most {} MB",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            )]));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let (text, encoding) = match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_string(), "UTF-8"),
            Err(_) => {
                let (t, _, _) = encoding_rs::WINDOWS_1250.decode(bytes);
                (t.into_owned(), "Windows-1250")
            }
        };
        let first_line = text.lines().next().unwrap_or("");
        let delimiter = [b';', b',', b'\t']
            .into_iter()
            .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
            .unwrap_or(b';');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => return Err(fail(vec![format!("line 1: {e}")])),
            None => return Err(fail(vec!["the file is empty".into()])),
        };

        // Which column plays which part.
        let mut roles: Vec<Option<Role>> = Vec::new();
        let mut ignored_columns = Vec::new();
        let mut problems = Vec::new();
        for name in header.iter() {
            let role = role_of(name);
            if let Some(r) = role
                && let Some(prev) = roles.iter().position(|x| *x == Some(r))
            {
                problems.push(format!(
                    "line 1: columns \"{}\" and \"{}\" both give the {}",
                    header.get(prev).unwrap_or(""),
                    name,
                    role_name(r)
                ));
            }
            if role.is_none() && !name.trim().is_empty() {
                ignored_columns.push(clean(name));
            }
            roles.push(role);
        }
        let col = |r: Role| roles.iter().position(|x| *x == Some(r));
        let level_cols: Vec<(usize, usize)> = roles
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                Some(Role::LevelColumn(k)) => Some((*k, i)),
                _ => None,
            })
            .collect();
        let found = || {
            header
                .iter()
                .map(|h| format!("\"{}\"", clean(h)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if col(Role::Symbol).is_none() && level_cols.is_empty() {
            problems.push(format!(
                "line 1: no column for the symbol (\"symbol\", or \"I\", \"II\", \"III\", \"IV\"); \
                 found {}",
                found()
            ));
        }
        for (role, expected) in [
            (Role::Heading, "\"haslo\""),
            (Role::Category, "\"kategoria\""),
        ] {
            if col(role).is_none() {
                problems.push(format!(
                    "line 1: no column for the {} ({expected}); found {}",
                    role_name(role),
                    found()
                ));
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }

        struct Row {
            line: u64,
            class: JrwaClass,
            given_parent: Option<String>,
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut column_typos: Vec<String> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let width = header.len();
        for record in records {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("{e}"));
                    continue;
                }
            };
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if record.len() != width {
                problems.push(format!(
                    "line {line}: {} fields, but the header has {width}",
                    record.len()
                ));
                continue;
            }
            if rows.len() >= MAX_CLASSES {
                problems.push(format!("more than {MAX_CLASSES} classes"));
                break;
            }
            let field = |r: Role| col(r).map(|i| clean(&record[i])).unwrap_or_default();
            let symbol = if col(Role::Symbol).is_some() {
                field(Role::Symbol)
            } else {
                let mut levels: Vec<(usize, String)> = level_cols
                    .iter()
                    .map(|(k, i)| (*k, clean(&record[*i])))
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                levels.sort();
                // The deepest column is the symbol; the others only repeat its beginning, and
                // where they do not, the list has a typo there, not in the symbol.
                for pair in levels.windows(2) {
                    if !pair[1].1.starts_with(&pair[0].1) {
                        column_typos.push(format!(
                            "line {line}: \"{}\" in column {} does not continue \"{}\" in \
                             column {}; the symbol {} is used",
                            pair[1].1,
                            ROMAN[pair[1].0],
                            pair[0].1,
                            ROMAN[pair[0].0],
                            levels.last().map(|(_, v)| v.as_str()).unwrap_or(""),
                        ));
                    }
                }
                levels.pop().map(|(_, v)| v).unwrap_or_default()
            };
            if symbol.is_empty() {
                problems.push(format!("line {line}: no symbol"));
                continue;
            }
            if symbol.len() > MAX_SYMBOL_DIGITS || !symbol.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(format!(
                    "line {line}: \"{symbol}\" is not a JRWA symbol (1 to {MAX_SYMBOL_DIGITS} digits)"
                ));
                continue;
            }
            if let Some(first) = seen.get(&symbol) {
                problems.push(format!("line {line}: symbol {symbol} repeats line {first}"));
                continue;
            }
            seen.insert(symbol.clone(), line);
            let heading = field(Role::Heading);
            if heading.is_empty() {
                problems.push(format!("line {line}: class {symbol} has no heading"));
            }
            let mut category_of = |r: Role| -> Option<Category> {
                let value = field(r);
                if value.is_empty() {
                    return None;
                }
                match value.parse::<Category>() {
                    Ok(c) => Some(c),
                    Err(e) => {
                        problems.push(format!("line {line}: class {symbol}: {e}"));
                        None
                    }
                }
            };
            let category = category_of(Role::Category);
            let category_other = category_of(Role::CategoryOther);
            if col(Role::Level).is_some() {
                let level = field(Role::Level);
                if !level.is_empty() && level != symbol.len().to_string() {
                    problems.push(format!(
                        "line {line}: class {symbol} is at level {}, the file says {level}",
                        symbol.len()
                    ));
                }
            }
            let given_parent = col(Role::Parent).map(|_| field(Role::Parent));
            let source = field(Role::Source);
            rows.push(Row {
                line,
                class: JrwaClass {
                    symbol,
                    heading,
                    parent: None,
                    category,
                    category_other,
                    notes: field(Role::Notes),
                    category_source: (!source.is_empty()).then_some(source),
                    is_end: false,
                },
                given_parent,
            });
        }
        if rows.is_empty() && problems.is_empty() {
            problems.push("the file has no classes".into());
        }

        // The hierarchy: the parent column where there is one, else the symbol's digits.
        let mut warnings = column_typos;
        let line_of: HashMap<String, u64> = rows
            .iter()
            .map(|r| (r.class.symbol.clone(), r.line))
            .collect();
        let by_parent_column = col(Role::Parent).is_some();
        for row in &mut rows {
            let symbol = row.class.symbol.clone();
            if by_parent_column {
                let parent = row.given_parent.clone().unwrap_or_default();
                if parent.is_empty() {
                    continue;
                }
                if !line_of.contains_key(&parent) {
                    problems.push(format!(
                        "line {}: class {symbol} names parent {parent}, which is not in the list",
                        row.line
                    ));
                }
                row.class.parent = Some(parent);
            } else {
                let parent = (1..symbol.len())
                    .rev()
                    .map(|n| &symbol[..n])
                    .find(|p| line_of.contains_key(*p))
                    .map(str::to_string);
                if symbol.len() > 1 && parent.as_deref() != Some(&symbol[..symbol.len() - 1]) {
                    warnings.push(format!(
                        "line {}: class {symbol} has no parent class {} in the list; {}",
                        row.line,
                        &symbol[..symbol.len() - 1],
                        match &parent {
                            Some(p) => format!("placed under {p}"),
                            None => "placed at the top".to_string(),
                        }
                    ));
                }
                row.class.parent = parent;
            }
        }
        if by_parent_column {
            let parent_of: HashMap<&str, &str> = rows
                .iter()
                .filter_map(|r| Some((r.class.symbol.as_str(), r.class.parent.as_deref()?)))
                .collect();
            let mut reported: HashSet<&str> = HashSet::new();
            for row in &rows {
                let start = row.class.symbol.as_str();
                let mut path = vec![start];
                let mut at = start;
                while let Some(&p) = parent_of.get(at) {
                    if p == start {
                        path.push(p);
                        if !reported.contains(start) {
                            reported.extend(path.iter().copied());
                            problems.push(format!(
                                "line {}: class {start} is its own ancestor ({})",
                                row.line,
                                path.join(" → ")
                            ));
                        }
                        break;
                    }
                    if path.contains(&p) || path.len() > MAX_CLASSES {
                        break; // a cycle further up: reported from its own members
                    }
                    path.push(p);
                    at = p;
                }
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }

        let jrwa = Jrwa::from_classes(rows.into_iter().map(|r| r.class).collect());
        for class in &jrwa.classes {
            let line = line_of.get(&class.symbol).copied().unwrap_or(0);
            if class.is_end && class.category.is_none() {
                warnings.push(format!(
                    "line {line}: end class {} has no archival category; cases cannot be opened \
                     under it until it has one",
                    class.symbol
                ));
            }
            if !class.is_end
                && let Some(c) = class.category
            {
                warnings.push(format!(
                    "line {line}: class {} has sub-classes; its category {c} applies to none of them",
                    class.symbol
                ));
            }
        }
        warnings.sort_by_key(|w| {
            w.strip_prefix("line ")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0)
        });
        Ok(Loaded {
            jrwa,
            warnings,
            ignored_columns,
            encoding,
        })
    }

    /// All classes in symbol order (a depth-first walk of the tree).
    pub fn classes(&self) -> &[JrwaClass] {
        &self.classes
    }

    /// The class with this symbol.
    pub fn get(&self, symbol: &str) -> Option<&JrwaClass> {
        self.index.get(symbol).map(|&i| &self.classes[i])
    }

    /// The classes directly under `symbol` (the top classes for `None`).
    pub fn children<'a>(&'a self, symbol: Option<&'a str>) -> impl Iterator<Item = &'a JrwaClass> {
        self.classes
            .iter()
            .filter(move |c| c.parent.as_deref() == symbol)
    }

    /// The classes above `symbol`, from the top down.
    pub fn ancestors(&self, symbol: &str) -> Vec<&JrwaClass> {
        let mut out = Vec::new();
        let mut at = self.get(symbol).and_then(|c| c.parent.as_deref());
        while let Some(p) = at {
            let Some(class) = self.get(p) else { break };
            if out.len() > self.classes.len() {
                break;
            }
            out.push(class);
            at = class.parent.as_deref();
        }
        out.reverse();
        out
    }

    /// The classes whose symbol starts with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a JrwaClass> {
        self.classes
            .iter()
            .filter(move |c| c.symbol.starts_with(prefix))
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }
}

const ROMAN: [&str; 6] = ["I", "II", "III", "IV", "V", "VI"];

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Symbol => "symbol",
        Role::LevelColumn(_) => "symbol at one level",
        Role::Heading => "heading",
        Role::Category => "archival category",
        Role::CategoryOther => "category in other units",
        Role::Notes => "notes",
        Role::Parent => "parent class",
        Role::Level => "level",
        Role::Source => "source of the category",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Loaded> {
        Jrwa::from_csv(text.as_bytes(), "test.csv")
    }

    fn problems(text: &str) -> Vec<String> {
        match load(text) {
            Err(Error::Jrwa { problems, .. }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn the_shipped_gmina_jrwa_is_whole() {
        let loaded = Jrwa::from_csv(GMINA_2011_CSV.as_bytes(), "gmina-2011.csv").unwrap();
        assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
        let jrwa = loaded.jrwa;
        assert!(jrwa.len() > 1100, "{}", jrwa.len());
        let tops: Vec<&str> = jrwa.children(None).map(|c| c.symbol.as_str()).collect();
        assert_eq!(tops, ["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
        for class in jrwa.classes() {
            // Every class under its whole chain of parents, by its digits.
            for n in 1..class.symbol.len() {
                assert!(
                    jrwa.get(&class.symbol[..n]).is_some(),
                    "{} lacks {}",
                    class.symbol,
                    &class.symbol[..n]
                );
            }
            assert_eq!(
                class.parent.as_deref(),
                (class.symbol.len() > 1).then(|| &class.symbol[..class.symbol.len() - 1])
            );
            assert!(!class.heading.is_empty());
            assert_eq!(class.is_end, class.category.is_some(), "{}", class.symbol);
            if class.is_end {
                assert!(class.category_source.is_some(), "{}", class.symbol);
            }
        }
        for (symbol, heading, category) in [
            (
                "0012",
                "Posiedzenia komisji, zespołów i innych organów kolegialnych rady gminy",
                Category::A,
            ),
            (
                "0050",
                "Zbiór zarządzeń, ogłoszeń i obwieszczeń wójta (burmistrza, prezydenta miasta) jako organu gminy",
                Category::A,
            ),
            ("5341", "Ewidencja ludności", Category::BE(50)),
            (
                "6730",
                "Ustalanie warunków zabudowy i zagospodarowania terenu",
                Category::A,
            ),
            ("2340", "Dowody obecności w pracy", Category::B(3)),
            ("3231", "Listy płac", Category::B(50)),
        ] {
            let class = jrwa
                .get(symbol)
                .unwrap_or_else(|| panic!("{symbol} missing"));
            assert_eq!(class.heading, heading);
            assert_eq!(class.category, Some(category), "{symbol}");
        }
        let path: Vec<&str> = jrwa
            .ancestors("6730")
            .iter()
            .map(|c| c.symbol.as_str())
            .collect();
        assert_eq!(path, ["6", "67", "673"]);
    }

    #[test]
    fn reads_the_flat_and_the_wide_layouts() {
        let flat = load("symbol;haslo;kategoria\n0;Zarządzanie;\n00;Rada;\n000;Sesje;A\n").unwrap();
        assert_eq!(flat.jrwa.get("000").unwrap().category, Some(Category::A));
        let wide = load(
            "I;II;III;IV;Hasła\u{a0}klasyfikacyjne;KA km;KA ki\n0;;;;ORGANY;;\n0;00;;;Przepisy;B-10;Bc\n",
        )
        .unwrap();
        let class = wide.jrwa.get("00").unwrap();
        assert_eq!(
            (class.category, class.category_other),
            (Some(Category::B(10)), Some(Category::Bc))
        );
        let comma =
            load("symbol,haslo,kategoria_archiwalna,plik\n1,Kadry,,x\n10,Akta,B50,x\n").unwrap();
        assert_eq!(comma.ignored_columns, ["plik"]);
        assert_eq!(
            comma.jrwa.get("10").unwrap().category,
            Some(Category::B(50))
        );
    }

    #[test]
    fn reads_windows_1250() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1250.encode("symbol;hasło;kategoria\n1;Środki trwałe;B10\n");
        let loaded = Jrwa::from_csv(&bytes, "cp1250.csv").unwrap();
        assert_eq!(loaded.encoding, "Windows-1250");
        assert_eq!(loaded.jrwa.get("1").unwrap().heading, "Środki trwałe");
    }

    #[test]
    fn accepts_gaps_with_warnings() {
        let loaded = load("symbol;haslo;kategoria\n1;Kadry;\n150;Akta;A\n16;Inne;\n").unwrap();
        assert_eq!(loaded.jrwa.get("150").unwrap().parent.as_deref(), Some("1"));
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.contains("line 3") && w.contains("no parent class 15")),
            "{:?}",
            loaded.warnings
        );
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.contains("end class 16 has no archival category")),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn rejects_wrong_columns() {
        let p = problems("numer;opis\n1;x\n");
        assert!(
            p.iter().any(|p| p.contains("no column for the symbol")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|p| p.contains("no column for the heading")),
            "{p:?}"
        );
        let p = problems("symbol;haslo;kategoria;nazwa\n1;a;A;b\n");
        assert!(p[0].contains("both give the heading"), "{p:?}");
        let p = problems("symbol;haslo;kategoria\n1;Kadry;A;extra\n");
        assert!(p[0].contains("line 2: 4 fields"), "{p:?}");
    }

    #[test]
    fn rejects_duplicates_bad_categories_bad_symbols() {
        let p = problems(
            "symbol;haslo;kategoria\n1;Kadry;\n10;Akta;A\n10;Znowu;B5\n11;Złe;C7\n1a;X;A\n12;;A\n",
        );
        let all = p.join("\n");
        assert!(all.contains("line 4: symbol 10 repeats line 3"), "{all}");
        assert!(
            all.contains("line 5: class 11: archival category \"C7\" is unknown"),
            "{all}"
        );
        assert!(all.contains("line 6: \"1a\" is not a JRWA symbol"), "{all}");
        assert!(all.contains("line 7: class 12 has no heading"), "{all}");
    }

    #[test]
    fn rejects_parent_cycles_and_missing_parents() {
        let p = problems("symbol;haslo;kategoria;nadrzedny\n1;A;;3\n2;B;;1\n3;C;A;2\n4;D;A;9\n");
        let all = p.join("\n");
        assert!(all.contains("is its own ancestor"), "{all}");
        assert!(
            all.contains("class 4 names parent 9, which is not in the list"),
            "{all}"
        );
        let ok = load("symbol;haslo;kategoria;nadrzedny\n1;A;;\n20;B;A;1\n").unwrap();
        assert_eq!(ok.jrwa.get("20").unwrap().parent.as_deref(), Some("1"));
    }

    #[test]
    fn rejects_empty_and_enormous_files() {
        assert!(problems("")[0].contains("empty"));
        assert!(problems("symbol;haslo;kategoria\n")[0].contains("no classes"));
        let big = vec![b'x'; MAX_FILE_BYTES + 1];
        assert!(
            Jrwa::from_csv(&big, "big.csv")
                .unwrap_err()
                .to_string()
                .contains("at most")
        );
    }
}

//! The Stempel stemmer (Egothor's trie of patch commands, as in Lucene's analysis-stempel), with
//! the table trained on PoliMorf (`assets/stempel/stemmer_polimorf.tbl.gz`, BSD-2).
//!
//! Trained on PoliMorf's form → lemma pairs, its "stem" is a guessed lemma. The analyzer uses it
//! only for words the Morfologik dictionary does not know (rare derivations such as gerund
//! plurals, archaic spellings, surnames), where it links most forms that belong together; the
//! comparison is in `BENCHMARKS.md`.
//!
//! The table is Java `DataOutput`: a method name (`readUTF`), then for a `MultiTrie2` the
//! direction, a step and the tries; each trie has a direction, a root, its patch commands and
//! rows of cells (`char`, command, count, reference to the next row, skip).

use std::io::Read;
use std::sync::OnceLock;

static TABLE: &[u8] = include_bytes!("../../../assets/stempel/stemmer_polimorf.tbl.gz");

/// End-of-command marker in a multi-trie.
const EOM: char = '*';

/// Why a table could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError(pub String);

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid Stempel table: {}", self.0)
    }
}

impl std::error::Error for TableError {}

#[derive(Debug, Clone, Copy)]
struct Cell {
    cmd: i32,
    next: i32,
}

#[derive(Debug, Default)]
struct Row {
    /// Sorted by character.
    cells: Vec<(u16, Cell)>,
}

impl Row {
    fn at(&self, ch: u16) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&ch, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }

    fn cmd(&self, ch: u16) -> i32 {
        self.at(ch).map_or(-1, |c| c.cmd)
    }

    fn next(&self, ch: u16) -> i32 {
        self.at(ch).map_or(-1, |c| c.next)
    }
}

#[derive(Debug)]
struct Trie {
    forward: bool,
    root: i32,
    cmds: Vec<Vec<u16>>,
    rows: Vec<Row>,
}

impl Trie {
    fn row(&self, i: i32) -> Option<&Row> {
        usize::try_from(i).ok().and_then(|i| self.rows.get(i))
    }

    /// The command stored last on the path of `key` (read in the trie's direction).
    fn last_on_path(&self, key: &[u16]) -> Option<&[u16]> {
        if key.is_empty() {
            return None;
        }
        let at = |i: usize| {
            if self.forward {
                key[i]
            } else {
                key[key.len() - 1 - i]
            }
        };
        let cmd = |w: i32| usize::try_from(w).ok().and_then(|w| self.cmds.get(w));
        let mut last = None;
        let mut now = self.row(self.root)?;
        for i in 0..key.len() - 1 {
            let ch = at(i);
            if let Some(c) = cmd(now.cmd(ch)) {
                last = Some(c.as_slice());
            }
            match self.row(now.next(ch)) {
                Some(row) => now = row,
                None => return last,
            }
        }
        cmd(now.cmd(at(key.len() - 1))).map(Vec::as_slice).or(last)
    }
}

/// A Stempel stemmer.
#[derive(Debug)]
pub struct Stempel {
    forward: bool,
    tries: Vec<Trie>,
}

/// A reader of Java `DataInput`.
struct Input<'a> {
    data: &'a [u8],
    at: usize,
}

impl Input<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], TableError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| TableError("truncated".into()))?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn bool(&mut self) -> Result<bool, TableError> {
        Ok(self.take(1)?[0] != 0)
    }

    fn int(&mut self) -> Result<i32, TableError> {
        let b = self.take(4)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn count(&mut self) -> Result<usize, TableError> {
        let n = self.int()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.data.len())
            .ok_or_else(|| TableError(format!("bad count {n}")))
    }

    fn char(&mut self) -> Result<u16, TableError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// `readUTF`: a length, then modified UTF-8; returned as UTF-16 units.
    fn utf(&mut self) -> Result<Vec<u16>, TableError> {
        let len = self.char()? as usize;
        let bytes = self.take(len)?;
        let mut out = Vec::with_capacity(len);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i] as u16;
            let (unit, n) = if b < 0x80 {
                (b, 1)
            } else if b & 0xE0 == 0xC0 && i + 1 < bytes.len() {
                (((b & 0x1F) << 6) | (bytes[i + 1] as u16 & 0x3F), 2)
            } else if b & 0xF0 == 0xE0 && i + 2 < bytes.len() {
                (
                    ((b & 0x0F) << 12)
                        | ((bytes[i + 1] as u16 & 0x3F) << 6)
                        | (bytes[i + 2] as u16 & 0x3F),
                    3,
                )
            } else {
                return Err(TableError("bad modified UTF-8".into()));
            };
            out.push(unit);
            i += n;
        }
        Ok(out)
    }
}

impl Stempel {
    /// Reads a gzip-compressed table.
    pub fn from_gzip(gz: &[u8]) -> Result<Stempel, TableError> {
        let mut data = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut data)
            .map_err(|e| TableError(e.to_string()))?;
        let mut input = Input { data: &data, at: 0 };
        let method = String::from_utf16_lossy(&input.utf()?).to_uppercase();
        if !method.contains('M') {
            // A single trie; the PoliMorf table is a multi-trie, but read both.
            let trie = read_trie(&mut input)?;
            return Ok(Stempel {
                forward: trie.forward,
                tries: vec![trie],
            });
        }
        let forward = input.bool()?;
        let _by = input.int()?;
        let n = input.count()?;
        let mut tries = Vec::with_capacity(n);
        for _ in 0..n {
            tries.push(read_trie(&mut input)?);
        }
        Ok(Stempel { forward, tries })
    }

    /// The stemmer with the embedded PoliMorf table, loaded on first use.
    pub fn polish() -> &'static Stempel {
        static S: OnceLock<Stempel> = OnceLock::new();
        S.get_or_init(|| Stempel::from_gzip(TABLE).expect("the embedded Stempel table is valid"))
    }

    /// The stem of `word` (a guessed lemma), or `None` when the table has no rule for it.
    pub fn stem(&self, word: &str) -> Option<String> {
        let key: Vec<u16> = word.encode_utf16().collect();
        let cmd = if self.tries.len() == 1 {
            self.tries[0].last_on_path(&key).map(<[u16]>::to_vec)
        } else {
            self.multi_last_on_path(&key)
        }?;
        let mut dest = key;
        apply(&mut dest, &cmd);
        let stem = String::from_utf16_lossy(&dest);
        (!stem.is_empty()).then_some(stem)
    }

    /// `MultiTrie2.getLastOnPath`: the command assembled from the tries in turn, each read on
    /// what the previous parts leave of the key.
    fn multi_last_on_path(&self, key: &[u16]) -> Option<Vec<u16>> {
        let mut result: Vec<u16> = Vec::new();
        let mut key: Vec<u16> = key.to_vec();
        let mut last_key = key.clone();
        let mut previous: Option<Vec<u16>> = None;
        let mut last_ch = ' ' as u16;
        for trie in &self.tries {
            let Some(r) = trie.last_on_path(&last_key) else {
                break;
            };
            if r.len() == 1 && r[0] == EOM as u16 {
                break;
            }
            if r.len() < 2 || cannot_follow(last_ch, r[0]) {
                break;
            }
            last_ch = r[r.len() - 2];
            if r[0] == '-' as u16 {
                if let Some(p) = &previous {
                    match self.skip(&key, length_pp(p)) {
                        Some(k) => key = k,
                        None => break,
                    }
                }
                match self.skip(&key, length_pp(r)) {
                    Some(k) => key = k,
                    None => break,
                }
            }
            result.extend_from_slice(r);
            previous = Some(r.to_vec());
            if !key.is_empty() {
                last_key = key.clone();
            }
        }
        Some(result)
    }

    fn skip(&self, key: &[u16], count: usize) -> Option<Vec<u16>> {
        if count > key.len() {
            return None;
        }
        Some(if self.forward {
            key[count..].to_vec()
        } else {
            key[..key.len() - count].to_vec()
        })
    }
}

fn read_trie(input: &mut Input) -> Result<Trie, TableError> {
    let forward = input.bool()?;
    let root = input.int()?;
    let n = input.count()?;
    let mut cmds = Vec::with_capacity(n);
    for _ in 0..n {
        cmds.push(input.utf()?);
    }
    let n = input.count()?;
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        let cells_n = input.count()?;
        let mut row = Row {
            cells: Vec::with_capacity(cells_n),
        };
        for _ in 0..cells_n {
            let ch = input.char()?;
            let cmd = input.int()?;
            let _cnt = input.int()?;
            let next = input.int()?;
            let _skip = input.int()?;
            row.cells.push((ch, Cell { cmd, next }));
        }
        row.cells.sort_by_key(|(c, _)| *c);
        rows.push(row);
    }
    Ok(Trie {
        forward,
        root,
        cmds,
        rows,
    })
}

fn cannot_follow(after: u16, goes: u16) -> bool {
    (after == '-' as u16 || after == 'D' as u16) && after == goes
}

/// How many characters of the key a command part covers.
fn length_pp(cmd: &[u16]) -> usize {
    let mut len = 0usize;
    let mut i = 0;
    while i < cmd.len() {
        let c = cmd[i];
        i += 1;
        if c == '-' as u16 || c == 'D' as u16 {
            if let Some(&p) = cmd.get(i) {
                len += (p as usize).saturating_sub('a' as usize) + 1;
            }
        } else if c == 'R' as u16 {
            len += 1;
        }
        i += 1;
    }
    len
}

/// `Diff.apply`: runs the patch command on the word from its end. Like the original, it stops
/// (keeping what it has done) when a command does not fit the word.
fn apply(dest: &mut Vec<u16>, diff: &[u16]) {
    let mut pos = dest.len() as isize - 1;
    if pos < 0 {
        return;
    }
    for pair in diff.chunks_exact(2) {
        let (cmd, param) = (pair[0], pair[1]);
        let n = param as isize - 'a' as isize + 1;
        match char::from_u32(cmd as u32) {
            Some('-') => pos = pos - n + 1,
            Some('R') => {
                if pos < 0 || pos as usize >= dest.len() {
                    return;
                }
                dest[pos as usize] = param;
            }
            Some('D') => {
                let o = pos;
                pos -= n - 1;
                if pos < 0 || pos > dest.len() as isize || pos > o + 1 {
                    return;
                }
                let end = ((o + 1) as usize).min(dest.len());
                dest.drain(pos as usize..end);
            }
            Some('I') => {
                pos += 1;
                if pos < 0 || pos as usize > dest.len() {
                    return;
                }
                dest.insert(pos as usize, param);
            }
            _ => {}
        }
        pos -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        Stempel::polish().stem(w).unwrap_or_default()
    }

    #[test]
    fn guesses_lemmas_of_words_outside_the_dictionary() {
        // Known from the reference implementation (pystempel with the same table).
        assert_eq!(stem("wyostrzeniami"), "wyostrzyć");
        assert_eq!(stem("poratowaniach"), "poratować");
        assert_eq!(stem("rachunku"), "rachunek");
        assert_eq!(stem("wnioskiem"), "wniosek");
        assert_eq!(stem("zarządzeniu"), "zarządzić");
    }

    #[test]
    fn patch_commands_apply_from_the_end() {
        let mut w: Vec<u16> = "teacher".encode_utf16().collect();
        apply(&mut w, &"Db".encode_utf16().collect::<Vec<_>>());
        assert_eq!(String::from_utf16_lossy(&w), "teach");
        // A command longer than the word stops without panicking.
        let mut w: Vec<u16> = "ab".encode_utf16().collect();
        apply(&mut w, &"Dz".encode_utf16().collect::<Vec<_>>());
        assert_eq!(String::from_utf16_lossy(&w), "ab");
    }

    #[test]
    fn refuses_damaged_tables() {
        assert!(Stempel::from_gzip(b"not gzip").is_err());
    }
}

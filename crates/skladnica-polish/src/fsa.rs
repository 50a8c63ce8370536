//! A reader for Morfologik's CFSA2 automata (the `.dict` format of morfologik-fsa 1.x/2.x).
//!
//! The file is a header (`\fsa`, version byte `0xC6`, flags, a table of the 31 most frequent
//! labels) followed by the arcs of every node. An arc is one flag byte (`N`ext target, `L`ast arc,
//! `F`inal, and a 5-bit index into the label table, 0 meaning an explicit label byte follows) and,
//! unless `N` is set, a v-coded address of its target node. Nodes have no header unless the
//! automaton carries perfect-hashing numbers, which this reader rejects (Morfologik dictionaries do
//! not use them).

use std::fmt;

const VERSION_CFSA2: u8 = 0xC6;
const BIT_TARGET_NEXT: u8 = 1 << 7;
const BIT_LAST_ARC: u8 = 1 << 6;
const BIT_FINAL_ARC: u8 = 1 << 5;
const LABEL_INDEX_MASK: u8 = (1 << 5) - 1;
const FLAG_NUMBERS: u16 = 1 << 8;

/// Why an automaton could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsaError(pub String);

impl fmt::Display for FsaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid CFSA2 automaton: {}", self.0)
    }
}

impl std::error::Error for FsaError {}

/// A CFSA2 automaton over bytes, borrowed from a buffer (usually a static asset).
#[derive(Clone)]
pub struct Cfsa2<'a> {
    arcs: &'a [u8],
    labels: &'a [u8],
    root: usize,
}

impl<'a> Cfsa2<'a> {
    /// Parses the header and finds the root node; arcs are read lazily.
    pub fn new(data: &'a [u8]) -> Result<Self, FsaError> {
        if data.len() < 8 || &data[..4] != b"\\fsa" {
            return Err(FsaError("missing \\fsa magic".into()));
        }
        if data[4] != VERSION_CFSA2 {
            return Err(FsaError(format!(
                "version 0x{:02x}, expected 0xc6",
                data[4]
            )));
        }
        let flags = u16::from_be_bytes([data[5], data[6]]);
        if flags & FLAG_NUMBERS != 0 {
            return Err(FsaError("automata with numbers are not supported".into()));
        }
        let table_len = data[7] as usize;
        let arcs_start = 8 + table_len;
        if data.len() <= arcs_start {
            return Err(FsaError("truncated label table".into()));
        }
        let labels = &data[8..arcs_start];
        let arcs = &data[arcs_start..];
        let mut fsa = Cfsa2 {
            arcs,
            labels,
            root: 0,
        };
        // Node 0 is the epsilon node; its first arc points at the real root.
        fsa.root = fsa
            .target(0)
            .ok_or_else(|| FsaError("bad epsilon node".into()))?;
        Ok(fsa)
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.arcs.get(at).copied()
    }

    /// The root node (where every word starts).
    pub fn root_node(&self) -> usize {
        self.root
    }

    /// The label of the arc at `arc`.
    pub fn label(&self, arc: usize) -> Option<u8> {
        let flags = self.byte(arc)?;
        let index = (flags & LABEL_INDEX_MASK) as usize;
        if index > 0 {
            self.labels.get(index).copied()
        } else {
            self.byte(arc + 1)
        }
    }

    /// True when the arc ends an accepted sequence.
    pub fn is_final(&self, arc: usize) -> bool {
        self.byte(arc).is_some_and(|f| f & BIT_FINAL_ARC != 0)
    }

    fn is_last(&self, arc: usize) -> bool {
        self.byte(arc).is_none_or(|f| f & BIT_LAST_ARC != 0)
    }

    /// Offset just past the arc at `arc`.
    fn skip_arc(&self, mut at: usize) -> Option<usize> {
        let flags = self.byte(at)?;
        at += 1;
        if flags & LABEL_INDEX_MASK == 0 {
            at += 1;
        }
        if flags & BIT_TARGET_NEXT == 0 {
            while self.byte(at)? & 0x80 != 0 {
                at += 1;
            }
            at += 1;
        }
        Some(at)
    }

    fn read_vint(&self, mut at: usize) -> Option<usize> {
        let mut value = 0usize;
        let mut shift = 0;
        loop {
            let b = self.byte(at)?;
            value |= ((b & 0x7F) as usize) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
            if shift > 35 {
                return None;
            }
            at += 1;
        }
    }

    /// The node an arc leads to, or `None` for a terminal arc (no outgoing arcs).
    pub fn target(&self, arc: usize) -> Option<usize> {
        let flags = self.byte(arc)?;
        let node = if flags & BIT_TARGET_NEXT != 0 {
            let mut last = arc;
            while !self.is_last(last) {
                last = self.skip_arc(last)?;
            }
            self.skip_arc(last)?
        } else {
            let at = arc + if flags & LABEL_INDEX_MASK == 0 { 2 } else { 1 };
            self.read_vint(at)?
        };
        (node != 0 && node < self.arcs.len()).then_some(node)
    }

    /// Iterates over the arcs of a node.
    pub fn arcs(&self, node: usize) -> Arcs<'_, 'a> {
        Arcs {
            fsa: self,
            next: Some(node),
        }
    }

    /// The arc of `node` labelled `label`.
    pub fn find_arc(&self, node: usize, label: u8) -> Option<usize> {
        self.arcs(node).find(|&arc| self.label(arc) == Some(label))
    }

    /// Follows `input` from the root; returns the node reached after the last byte (and
    /// whether the last arc was final).
    pub fn walk(&self, input: &[u8]) -> Option<(Option<usize>, bool)> {
        let mut node = self.root;
        let mut last_final = false;
        for (i, &b) in input.iter().enumerate() {
            let arc = self.find_arc(node, b)?;
            last_final = self.is_final(arc);
            match self.target(arc) {
                Some(next) => node = next,
                None => {
                    return (i + 1 == input.len()).then_some((None, last_final));
                }
            }
        }
        Some((Some(node), last_final))
    }

    /// Calls `f` with every distinct byte sequence from `node` up to (not including) the first
    /// `stop` byte on each path, depth first, at most `limit` times. Paths are not followed past
    /// `stop`, which is what makes a dictionary lookup that needs only the lemma cheap.
    pub fn for_each_until(&self, node: usize, stop: u8, limit: usize, mut f: impl FnMut(&[u8])) {
        let mut buf = Vec::with_capacity(32);
        let mut count = 0;
        self.until(node, stop, &mut buf, limit, &mut count, &mut f, 0);
    }

    #[allow(clippy::too_many_arguments)]
    fn until(
        &self,
        node: usize,
        stop: u8,
        buf: &mut Vec<u8>,
        limit: usize,
        count: &mut usize,
        f: &mut impl FnMut(&[u8]),
        depth: usize,
    ) {
        if depth > 512 {
            return;
        }
        for arc in self.arcs(node) {
            if *count >= limit {
                return;
            }
            let Some(label) = self.label(arc) else { return };
            if label == stop {
                *count += 1;
                f(buf);
                continue;
            }
            buf.push(label);
            if let Some(next) = self.target(arc) {
                self.until(next, stop, buf, limit, count, f, depth + 1);
            }
            buf.pop();
        }
    }
}

/// The arcs of one node, in file order.
pub struct Arcs<'f, 'a> {
    fsa: &'f Cfsa2<'a>,
    next: Option<usize>,
}

impl Iterator for Arcs<'_, '_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let arc = self.next?;
        self.fsa.byte(arc)?;
        self.next = if self.fsa.is_last(arc) {
            None
        } else {
            self.fsa.skip_arc(arc)
        };
        Some(arc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage() {
        assert!(Cfsa2::new(b"").is_err());
        assert!(Cfsa2::new(b"\\fsa\x05\x00\x00\x00xx").is_err());
        assert!(Cfsa2::new(b"\\fsa\xc6\x00\x07\xff").is_err());
    }
}

//! Liang hyphenation over the `hyph_en_US` patterns, as pyphen 0.18 applies them.
//!
//! textstat falls back to `len(Pyphen(lang="en_US").positions(word)) + 1` syllables for words
//! missing from the CMU dictionary. This reproduces pyphen's `HyphDict.positions` (patterns parsed
//! the same way, the maximum of overlapping pattern values, odd values are break points) and
//! `Pyphen.positions` (break points kept only when `left <= p <= len(word) - right`, 2 and 2).
//! The pattern file is compiled in (BSD-style licence, from the pyphen 0.18.1 wheel) and turned
//! into a trie once, on first use.

use std::sync::OnceLock;

const PATTERNS: &str = include_str!("../../data/hyph_en_US.dic");
const IGNORED: &[&str] = &[
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
];

/// pyphen's defaults, which textstat uses.
const LEFT: usize = 2;
const RIGHT: usize = 2;

/// Dense child slots for the characters nearly every pattern uses: `a`-`z`, `.` and `'`.
const DENSE: usize = 28;

#[inline]
fn dense_slot(c: char) -> Option<usize> {
    match c {
        'a'..='z' => Some(c as usize - 'a' as usize),
        '.' => Some(26),
        '\'' => Some(27),
        _ => None,
    }
}

#[derive(Debug, Default)]
struct Node {
    /// Child index + 1 per dense slot (0 = none).
    dense: [u32; DENSE],
    /// Children for any other character (ligatures such as `ﬁ`).
    children: Vec<(char, u32)>,
    /// (offset of the first non-zero value, the values from there to the last non-zero one)
    pattern: Option<(u8, Box<[u8]>)>,
}

/// A trie of the hyphenation patterns: walking it from each start position visits exactly the
/// substrings that pyphen's dictionary lookups would find.
#[derive(Debug)]
pub(crate) struct Hyphenator {
    nodes: Vec<Node>,
}

impl Hyphenator {
    fn parse() -> Self {
        let mut h = Hyphenator {
            nodes: vec![Node::default()],
        };
        // First line names the encoding (UTF-8 here).
        for line in PATTERNS.split('\n').skip(1) {
            let pattern = line.trim();
            if pattern.is_empty() || IGNORED.iter().any(|p| pattern.starts_with(p)) {
                continue;
            }
            // pyphen: `(\d?)(\D?)` pairs -> letters, and the digit before each letter (plus one
            // after the last).
            let mut letters = Vec::new();
            let mut values = Vec::new();
            let mut pending = 0u8;
            for c in pattern.chars() {
                if let Some(d) = c.to_digit(10) {
                    pending = d as u8;
                } else {
                    letters.push(c);
                    values.push(pending);
                    pending = 0;
                }
            }
            values.push(pending);
            let Some(start) = values.iter().position(|&v| v != 0) else {
                continue; // only zeros: pyphen skips the pattern
            };
            let end = values
                .iter()
                .rposition(|&v| v != 0)
                .map_or(start, |e| e + 1);
            let node = h.insert(&letters);
            h.nodes[node].pattern = Some((start as u8, values[start..end].into()));
        }
        h
    }

    fn insert(&mut self, letters: &[char]) -> usize {
        let mut node = 0usize;
        for &c in letters {
            node = match self.child(node, c) {
                Some(next) => next,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(Node::default());
                    match dense_slot(c) {
                        Some(slot) => self.nodes[node].dense[slot] = next as u32 + 1,
                        None => self.nodes[node].children.push((c, next as u32)),
                    }
                    next
                }
            };
        }
        node
    }

    #[inline]
    fn child(&self, node: usize, c: char) -> Option<usize> {
        if let Some(slot) = dense_slot(c) {
            return match self.nodes[node].dense[slot] {
                0 => None,
                n => Some(n as usize - 1),
            };
        }
        self.nodes[node]
            .children
            .iter()
            .find(|(k, _)| *k == c)
            .map(|&(_, n)| n as usize)
    }

    /// The process-wide hyphenator, parsed on first use.
    pub(crate) fn shared() -> &'static Hyphenator {
        static SHARED: OnceLock<Hyphenator> = OnceLock::new();
        SHARED.get_or_init(Hyphenator::parse)
    }

    /// `len(Pyphen(lang="en_US").positions(word))`: the number of hyphenation points of `word`
    /// with at least two characters on each side.
    pub(crate) fn positions_count(&self, word: &str) -> usize {
        let len = word.chars().count();
        if len < LEFT + RIGHT {
            return 0;
        }
        // Words up to 62 characters (all but pathological ones) use stack buffers.
        let mut pointed_stack = ['\0'; 64];
        let mut refs_stack = [0u8; 65];
        let mut pointed_heap = Vec::new();
        let mut refs_heap = Vec::new();
        let lowered_owned;
        let lowered: &str = if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
            word
        } else {
            lowered_owned = word.to_lowercase();
            &lowered_owned
        };
        let n = lowered.chars().count() + 2;
        let (pointed, references): (&mut [char], &mut [u8]) = if n <= 64 {
            (&mut pointed_stack[..n], &mut refs_stack[..n + 1])
        } else {
            pointed_heap.resize(n, '\0');
            refs_heap.resize(n + 1, 0);
            (&mut pointed_heap[..], &mut refs_heap[..])
        };
        pointed[0] = '.';
        for (k, c) in lowered.chars().enumerate() {
            pointed[k + 1] = c;
        }
        pointed[n - 1] = '.';
        for i in 0..n - 1 {
            let mut node = 0usize;
            for &c in &pointed[i..] {
                let Some(next) = self.child(node, c) else {
                    break;
                };
                node = next;
                if let Some((offset, values)) = &self.nodes[node].pattern {
                    let from = i + *offset as usize;
                    for (k, &v) in values.iter().enumerate() {
                        if let Some(r) = references.get_mut(from + k) {
                            *r = (*r).max(v);
                        }
                    }
                }
            }
        }
        let right = len as isize - RIGHT as isize;
        references
            .iter()
            .enumerate()
            .filter(|&(i, &r)| {
                let point = i as isize - 1;
                r % 2 == 1 && point >= LEFT as isize && point <= right
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_pyphen_positions() {
        // pyphen 0.18.1: Pyphen(lang="en_US").inserted(w) -> "hy-phen-ation", "ex-am-ple",
        // "su-per-cal-ifrag-ilis-tic-ex-pi-ali-do-cious"
        let h = Hyphenator::shared();
        assert_eq!(h.positions_count("hyphenation"), 2);
        assert_eq!(h.positions_count("example"), 2);
        assert_eq!(h.positions_count("supercalifragilisticexpialidocious"), 10);
        assert_eq!(h.positions_count("cat"), 0);
        assert_eq!(h.positions_count(""), 0);
    }
}

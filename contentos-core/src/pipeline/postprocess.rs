//! Post-processing of generated text (design document section 5.1 "Post-Processor"): clean-up,
//! word count, reading time and the banned-word check.

/// Reading speed used for `readingTime`, in words per minute.
pub const WORDS_PER_MINUTE: usize = 200;

/// Normalises model output: drops a code fence wrapping the whole answer, a leading
/// "Here is …:" preamble line, trailing spaces, and runs of more than one blank line.
pub fn clean_markdown(raw: &str) -> String {
    let mut text = raw.trim().replace("\r\n", "\n");
    if text.starts_with("```") && text.ends_with("```") && text.len() >= 6 {
        let inner = &text[3..text.len() - 3];
        // Drop the fence's language tag line (```markdown).
        let inner = match inner.find('\n') {
            Some(nl) if !inner[..nl].contains(' ') => &inner[nl + 1..],
            _ => inner,
        };
        text = inner.trim().to_string();
    }
    if let Some(first_nl) = text.find('\n') {
        let first = text[..first_nl].trim().to_ascii_lowercase();
        if (first.starts_with("here is")
            || first.starts_with("here's")
            || first.starts_with("sure,"))
            && first.ends_with(':')
        {
            text = text[first_nl + 1..].trim_start().to_string();
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Words: maximal runs of alphanumeric characters (apostrophes and hyphens inside a word keep
/// it one word). Markdown markup does not count.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut prev_alnum = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let joiner = (c == '\'' || c == '’' || c == '-')
            && prev_alnum
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else {
            in_word = false;
        }
        prev_alnum = c.is_alphanumeric();
    }
    count
}

/// `"N min"` at [`WORDS_PER_MINUTE`], at least 1.
pub fn reading_time(words: usize) -> String {
    format!("{} min", words.div_ceil(WORDS_PER_MINUTE).max(1))
}

/// The banned words (case-insensitive, whole words or phrases) that occur in `text`.
pub fn find_banned_words(text: &str, banned: &[String]) -> Vec<String> {
    let lower = text.to_lowercase();
    banned
        .iter()
        .filter(|b| {
            let needle = b.trim().to_lowercase();
            if needle.is_empty() {
                return false;
            }
            lower.match_indices(&needle).any(|(i, m)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + m.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_fences_preamble_and_blank_runs() {
        let raw = "```markdown\nHere is your post:\n# Title\n\n\n\nBody  \n```";
        assert_eq!(clean_markdown(raw), "# Title\n\nBody");
    }

    #[test]
    fn counts_words_like_a_reader() {
        assert_eq!(word_count("# AI in health-care: it's **here**."), 5);
        assert_eq!(word_count(""), 0);
        assert_eq!(reading_time(0), "1 min");
        assert_eq!(reading_time(850), "5 min");
    }

    #[test]
    fn banned_words_are_whole_words() {
        let banned = vec!["synergy".to_string(), "game changer".to_string()];
        assert_eq!(find_banned_words("Synergy rocks", &banned), vec!["synergy"]);
        assert!(find_banned_words("synergyish", &banned).is_empty());
        assert_eq!(
            find_banned_words("a Game Changer!", &banned),
            vec!["game changer"]
        );
    }
}

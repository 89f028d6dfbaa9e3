//! Small text helpers shared by the analysers: word splitting, stop words,
//! naive plural stemming, phrase matching and sentence splitting. All of it is
//! deterministic and allocation-light; nothing here can panic on any input.

/// English stop words ignored by keyword extraction and offer matching.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "itself", "just", "let", "like", "me", "more", "most", "my", "myself", "need", "no",
    "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "please", "same", "she", "should", "so", "some", "such",
    "sure", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
    "want", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "hi",
    "hello", "hey", "thanks", "thank", "help", "today", "yes", "ok", "okay", "looking", "find",
    "interested", "enjoy", "any", "have", "im", "ive", "dont", "cant", "wont", "id", "ill",
    "youre", "value", "type", "name", "label", "true", "false", "null",
];

/// True for a stop word (input must be lower case).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Lower-cased alphanumeric words; apostrophes are dropped (`don't` → `dont`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            cur.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '’' {
            continue;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Naive English plural stemming: `beaches` → `beach`, `cities` → `city`,
/// `destinations` → `destination`. Short words are left alone.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n <= 3 {
        return word.to_owned();
    }
    if let Some(base) = word.strip_suffix("ies") {
        return format!("{base}y");
    }
    if ["sses", "ches", "shes", "xes"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        return word.strip_suffix("es").unwrap_or(word).to_owned();
    }
    if !word.ends_with("ss") && !word.ends_with("us") {
        if let Some(base) = word.strip_suffix('s') {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// Content words: lower case, stemmed, no stop words, no pure numbers, at
/// least three characters.
pub fn content_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !is_stop_word(w))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| stem(&w))
        .collect()
}

/// Text normalised for phrase matching: the words joined by single spaces,
/// with a space at both ends (so `" refund "` matches whole words only).
pub fn normalized(text: &str) -> String {
    let mut s = String::from(" ");
    for w in words(text) {
        s.push_str(&w);
        s.push(' ');
    }
    s
}

/// The phrases of `list` found as whole words in `norm` (from [`normalized`]),
/// in list order.
pub fn find_phrases(norm: &str, list: &[&str]) -> Vec<String> {
    list.iter()
        .filter(|p| norm.contains(&format!(" {p} ")))
        .map(|p| (*p).to_owned())
        .collect()
}

/// Splits text into trimmed sentences; the terminator (`.`, `!`, `?`) stays
/// with its sentence, line breaks also end a sentence.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        if ch == '\n' || ch == '\r' {
            push_trimmed(&mut out, &mut cur);
            continue;
        }
        cur.push(ch);
        if matches!(ch, '.' | '!' | '?') {
            push_trimmed(&mut out, &mut cur);
        }
    }
    push_trimmed(&mut out, &mut cur);
    out
}

fn push_trimmed(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() && t.chars().any(char::is_alphanumeric) {
        out.push(t.to_owned());
    } else if !t.is_empty() {
        if let Some(last) = out.last_mut() {
            last.push_str(t);
        }
    }
    cur.clear();
}

/// Rounds to three decimals (for scores on the wire).
pub fn round3(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_stems() {
        assert_eq!(
            words("Hi, I'd like BEACHES!"),
            ["hi", "id", "like", "beaches"]
        );
        assert_eq!(stem("beaches"), "beach");
        assert_eq!(stem("cities"), "city");
        assert_eq!(stem("destinations"), "destination");
        assert_eq!(stem("business"), "business");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(
            content_words("I enjoy warm weather and beaches"),
            ["warm", "weather", "beach"]
        );
    }

    #[test]
    fn phrases_and_sentences() {
        let n = normalized("I want to SPEAK to a human, now!");
        assert_eq!(
            find_phrases(&n, &["speak to a human", "human", "hum"]),
            ["speak to a human", "human"]
        );
        assert_eq!(
            sentences("Hello! Can you help?? Sure\nok..."),
            ["Hello!", "Can you help??", "Sure", "ok..."]
        );
        assert!(sentences("").is_empty());
        assert_eq!(round3(0.12345), 0.123);
    }
}

//! `language_identification`: whatlang over the customer's text, with the
//! ISO 639-3 codes of common languages mapped to ISO 639-1.

use serde_json::{json, Value};
use whatlang::Lang;

use super::text::round3;
use super::Transcript;

/// ISO 639-3 → ISO 639-1 for the languages whatlang knows that have one.
#[rustfmt::skip]
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"), ("aka", "ak"), ("amh", "am"), ("ara", "ar"), ("aze", "az"), ("bel", "be"),
    ("ben", "bn"), ("bul", "bg"), ("cat", "ca"), ("ces", "cs"), ("cmn", "zh"), ("cym", "cy"),
    ("dan", "da"), ("deu", "de"), ("ell", "el"), ("eng", "en"), ("epo", "eo"), ("est", "et"),
    ("fin", "fi"), ("fra", "fr"), ("guj", "gu"), ("heb", "he"), ("hin", "hi"), ("hrv", "hr"),
    ("hun", "hu"), ("hye", "hy"), ("ind", "id"), ("ita", "it"), ("jav", "jv"), ("jpn", "ja"),
    ("kan", "kn"), ("kat", "ka"), ("khm", "km"), ("kor", "ko"), ("lat", "la"), ("lav", "lv"),
    ("lit", "lt"), ("mal", "ml"), ("mar", "mr"), ("mkd", "mk"), ("mya", "my"), ("nep", "ne"),
    ("nld", "nl"), ("nob", "nb"), ("ori", "or"), ("pan", "pa"), ("pes", "fa"), ("pol", "pl"),
    ("por", "pt"), ("ron", "ro"), ("rus", "ru"), ("sin", "si"), ("slk", "sk"), ("slv", "sl"),
    ("sna", "sn"), ("spa", "es"), ("srp", "sr"), ("swe", "sv"), ("tam", "ta"), ("tel", "te"),
    ("tgl", "tl"), ("tha", "th"), ("tuk", "tk"), ("tur", "tr"), ("ukr", "uk"), ("urd", "ur"),
    ("uzb", "uz"), ("vie", "vi"), ("yid", "yi"), ("zul", "zu"),
];

/// The ISO 639-1 code of a whatlang language, or its 639-3 code.
pub fn iso_639_1(lang: Lang) -> &'static str {
    let code = lang.code();
    ISO_639_1
        .iter()
        .find(|(three, _)| *three == code)
        .map_or(code, |(_, two)| two)
}

/// The detected language of a text: (ISO 639-1 code, whatlang info), or
/// `None` when whatlang cannot tell (e.g. empty text).
pub fn detect(text: &str) -> Option<(&'static str, whatlang::Info)> {
    whatlang::detect(text).map(|info| (iso_639_1(info.lang()), info))
}

/// The language of a conversation, and what it was based on.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// ISO 639-1 code (639-3 when there is none; `und` when unknown).
    pub code: String,
    /// English name of the language.
    pub name: String,
    /// Script name (empty when unknown).
    pub script: String,
    /// whatlang's confidence, 0..1.
    pub confidence: f64,
    /// whatlang's reliability verdict.
    pub reliable: bool,
    /// `customer_text`, `conversation`, `channel_language` or `best_guess`.
    pub basis: &'static str,
}

fn from_info(code: &str, info: &whatlang::Info, basis: &'static str) -> Detection {
    Detection {
        code: code.to_owned(),
        name: info.lang().eng_name().to_owned(),
        script: info.script().name().to_owned(),
        confidence: round3(info.confidence()),
        reliable: info.is_reliable(),
        basis,
    }
}

/// Detects the conversation's language. whatlang is unreliable on a few
/// words, so: the customer's text if reliable, else the whole conversation if
/// reliable, else the channel's declared language (`hint`, e.g. `en-US`),
/// else whatlang's best guess.
pub fn detect_conversation(t: &Transcript, hint: Option<&str>) -> Detection {
    let customer = detect(&t.customer_text());
    let all = detect(&t.all_text());
    if let Some((code, info)) = customer.as_ref().filter(|(_, i)| i.is_reliable()) {
        return from_info(code, info, "customer_text");
    }
    if let Some((code, info)) = all.as_ref().filter(|(_, i)| i.is_reliable()) {
        return from_info(code, info, "conversation");
    }
    let guess = all.or(customer);
    if let Some(hint) = hint {
        let primary = hint
            .split(['-', '_'])
            .next()
            .unwrap_or(hint)
            .trim()
            .to_ascii_lowercase();
        if let Some(lang) = lang_of_639_1(&primary) {
            let agrees = guess.as_ref().filter(|(_, i)| i.lang() == lang);
            return Detection {
                code: primary,
                name: lang.eng_name().to_owned(),
                script: agrees
                    .map(|(_, i)| i.script().name().to_owned())
                    .unwrap_or_default(),
                confidence: agrees.map_or(0.0, |(_, i)| round3(i.confidence())),
                reliable: false,
                basis: "channel_language",
            };
        }
    }
    match guess {
        Some((code, info)) => from_info(code, &info, "best_guess"),
        None => Detection {
            code: "und".to_owned(),
            name: "Undetermined".to_owned(),
            script: String::new(),
            confidence: 0.0,
            reliable: false,
            basis: "best_guess",
        },
    }
}

/// The whatlang language of an ISO 639-1 code (or a 639-3 code).
fn lang_of_639_1(code: &str) -> Option<Lang> {
    ISO_639_1
        .iter()
        .find(|(_, two)| *two == code)
        .and_then(|(three, _)| Lang::from_code(*three))
        .or_else(|| Lang::from_code(code))
}

/// The `language_identification` result object.
pub fn analyse(t: &Transcript, hint: Option<&str>) -> Value {
    let d = detect_conversation(t, hint);
    json!({
        "language": d.code,
        "languageName": d.name,
        "script": d.script,
        "confidence": d.confidence,
        "reliable": d.reliable,
        "basis": d.basis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::customer_says;

    #[test]
    fn detects_common_languages() {
        let en = customer_says(&[
            "My flight was cancelled and I need to rebook",
            "Sure, it is XYZ789",
        ]);
        let d = detect_conversation(&en, None);
        assert_eq!(
            (d.code.as_str(), d.name.as_str(), d.reliable),
            ("en", "English", true)
        );
        let de = customer_says(&["Ich möchte meine Buchung ändern, bitte"]);
        assert_eq!(detect_conversation(&de, Some("en-US")).code, "de");
        assert_eq!(iso_639_1(Lang::Deu), "de");
        assert!(detect("").is_none());
        assert_eq!(detect_conversation(&customer_says(&[]), None).code, "und");
    }

    #[test]
    fn short_text_falls_back_to_the_channel_language() {
        let short = customer_says(&["Hi, can you help me?"]);
        let d = detect_conversation(&short, Some("en-US"));
        assert_eq!((d.code.as_str(), d.basis), ("en", "channel_language"));
        let d = detect_conversation(&short, Some("xx-YY"));
        assert_eq!(d.basis, "best_guess");
    }
}

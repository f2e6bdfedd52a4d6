//! A guard against input nested so deeply that parsing it would overflow the stack.
//!
//! syn parses (and the lints walk) nested code recursively. The worker threads have large
//! stacks, which covers any code a person or a code generator writes, but a stack overflow
//! aborts the whole process, taking every other file's findings with it. So before a file
//! is parsed, one cheap pass over its text estimates the nesting depth; a file past the limit
//! is reported instead of parsed.
//!
//! The estimate counts open brackets, plus open `<` within the current statement or item
//! (generic arguments nest without brackets: `Vec<Vec<…>>`). Comments, strings and character
//! literals are skipped. A `<` that is a comparison only inflates the estimate until the next
//! `,`, `;`, `{` or `}`, so real code stays far below the limit.

/// Deeper than any real code, and far shallower than what the worker stacks survive
/// (about ten thousand levels in a debug build, more in release).
pub const MAX_NESTING: usize = 1000;

/// The byte offset where the estimated nesting first exceeds `limit`.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut brackets, mut angles) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i);
                continue;
            }
            b'"' => {
                i = skip_string(b, i + 1);
                continue;
            }
            b'\'' => {
                i = skip_char_literal(text, i);
                continue;
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                let end = i + b[i..].iter().take_while(|c| **c == b'_' || c.is_ascii_alphanumeric()).count();
                i = match &b[i..end] {
                    b"r" | b"br" | b"cr" => skip_raw_string(b, end).unwrap_or(end),
                    _ => end,
                };
                continue;
            }
            b'(' | b'[' => brackets += 1,
            b'{' => {
                brackets += 1;
                angles = 0;
            }
            b')' | b']' => brackets = brackets.saturating_sub(1),
            b'}' => {
                brackets = brackets.saturating_sub(1);
                angles = 0;
            }
            b',' | b';' => angles = 0,
            b'<' => angles += 1,
            // `->` and `=>` close nothing.
            b'>' if i > 0 && matches!(b[i - 1], b'-' | b'=') => {}
            b'>' => angles = angles.saturating_sub(1),
            _ => {}
        }
        if brackets + angles > limit {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// From the `/` of `/*` to just past the matching `*/` (block comments nest in Rust).
fn skip_block_comment(b: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// From just inside an opening `"` to just past the closing one, over escapes.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// `r"…"`, `r#"…"#`: `i` is just past the `r`; `None` if no raw string starts there (a raw
/// identifier such as `r#type`).
fn skip_raw_string(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    if b.get(i + hashes) != Some(&b'"') {
        return None;
    }
    let mut j = i + hashes + 1;
    while j < b.len() {
        if b[j] == b'"' && b[j + 1..].iter().take(hashes).filter(|c| **c == b'#').count() == hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(b.len())
}

/// At a `'`: past a character literal (`'x'`, `'\n'`, `'é'`), or just past the quote of a
/// lifetime or label (`'a`), whose name is then read as an identifier.
fn skip_char_literal(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    if b.get(i + 1) == Some(&b'\\') {
        // An escape: the literal ends at the next quote after the escaped character.
        let from = (i + 3).min(b.len());
        return b[from..].iter().position(|&c| c == b'\'').map_or(b.len(), |n| from + n + 1);
    }
    let next_len = text[i + 1..].chars().next().map_or(0, char::len_utf8);
    if next_len > 0 && b.get(i + 1 + next_len) == Some(&b'\'') {
        i + 2 + next_len
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        (0..=text.len()).find(|&limit| too_deep(text, limit).is_none()).unwrap_or(usize::MAX)
    }

    #[test]
    fn counts_brackets_and_generics() {
        assert_eq!(depth("fn f() { g((1, [2])) }"), 4);
        assert_eq!(depth("type T = Vec<Vec<Option<u8>>>;"), 3);
        assert_eq!(depth("fn f() -> Vec<u8> { match x { _ => y } }"), 2);
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(too_deep(&deep, MAX_NESTING), Some(8 + MAX_NESTING));
    }

    #[test]
    fn comparisons_do_not_add_up_across_statements() {
        let many = "fn f() { let _ = a < b; }\n".repeat(5000);
        assert_eq!(depth(&many), 2);
        let arms = format!("match x {{ {} }}", "v if v < 3 => 1, ".repeat(5000));
        assert!(depth(&arms) <= 2);
    }

    #[test]
    fn skips_comments_strings_and_char_literals() {
        let text = r####"
            // ((((((
            /* (((( /* nested (( */ (((( */
            const A: &str = "(((( \" ((((";
            const B: &str = r#"(((( " (((("#;
            const C: &[u8] = br"((((";
            const D: char = '(';
            const E: char = '\'';
            const F: char = 'é';
            fn g<'a>(x: &'a str) -> &'a str { 'outer: loop { break 'outer x; } }
            let r#type = 1;
        "####;
        assert_eq!(depth(text), 2);
    }

    #[test]
    fn unterminated_input_ends_the_scan() {
        for text in ["\"((((", "/* ((((", "r#\"((((", "'", "'\\", "x < "] {
            assert!(too_deep(text, 1).is_none(), "{text:?}");
        }
    }
}

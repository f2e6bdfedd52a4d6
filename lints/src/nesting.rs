//! A guard against input nested so deeply that parsing or walking it would overflow the stack.
//!
//! syn parses nested code recursively, and the syntax tree it builds is walked, cloned and
//! dropped recursively. A stack overflow aborts the whole process, taking every other file's
//! findings with it, and cannot be caught like a panic. So before a file is parsed, one cheap
//! pass over its text estimates how deep its syntax tree can be; a file past the limit is
//! reported instead of parsed.
//!
//! The estimate is the sum of
//! - open brackets (`(`, `[`, `{`);
//! - open `<` in the current statement or item (generic arguments nest without brackets:
//!   `Vec<Vec<…>>`);
//! - per open bracket, the operators and chaining words seen since the last `,` or `;` at that
//!   level: prefix operators and keywords nest to the right (`!!x`, `&&x`, `return return x`,
//!   `|| || x`, `a = b = c`), postfix and binary ones to the left (`a.b().c()`, `x??`,
//!   `a + b + c`, `f()()`, `if … {} else if … {}`); syn parses some of them in a loop, but the
//!   tree it builds is as deep as the chain is long.
//!
//! A statement that ends with a block (`if c { … }`) ends its chain, unless the next token
//! continues it (`else`, `.`, `?`, an operator). Comments, strings, character and number
//! literals are skipped. The estimate only ever over-counts (a `<` that is a comparison, the
//! two characters of `&&`), so a limit far above real code still leaves the stack safe.

/// Deeper than any real code, and far shallower than what a thread with a stack of
/// [`crate::STACK_BYTES`] survives, in a debug build too.
pub const MAX_NESTING: usize = 1000;

/// The byte offset where the estimated nesting first exceeds `limit`.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    // Per open bracket: the chain counted at that level, and whether it is a `{`.
    let mut levels: Vec<Level> = vec![Level::default()];
    let mut chains = 0usize;
    let mut angles = 0usize;
    // Just past a closing `}`: the next token decides whether its statement goes on.
    let mut after_block = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // Comments are not tokens: they neither continue nor end a statement.
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(b, i);
            continue;
        }
        if after_block {
            after_block = false;
            if !continues_after_block(b, i) {
                let top = levels.last_mut().expect("the file level is never popped");
                chains -= top.chain;
                top.chain = 0;
                angles = 0;
            }
        }
        let mut chain = 0;
        match c {
            b'"' => {
                i = skip_string(b, i + 1);
                continue;
            }
            b'\'' => {
                i = skip_char_literal(text, i);
                continue;
            }
            b'0'..=b'9' => {
                i = skip_number(b, i);
                continue;
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let end = ident_end(b, i);
                i = match &b[i..end] {
                    b"r" | b"br" | b"cr" | b"b" | b"c" if matches!(b.get(end), Some(b'"' | b'#')) => {
                        skip_raw_string(b, end).unwrap_or(end)
                    }
                    b"b" if b.get(end) == Some(&b'\'') => skip_char_literal(text, end),
                    word => {
                        if is_chaining_word(word) {
                            chain = 1;
                        }
                        end
                    }
                };
                if chain == 0 {
                    continue;
                }
            }
            b'(' | b'[' | b'{' => {
                levels.push(Level { chain: 0, brace: c == b'{' });
                if c == b'{' {
                    angles = 0;
                }
                i += 1;
                // A new level: the total only grew by the bracket itself.
                if levels.len() - 1 + angles + chains > limit {
                    return Some(i - 1);
                }
                continue;
            }
            b')' | b']' | b'}' => {
                if levels.len() > 1 {
                    let level = levels.pop().expect("more than the file level");
                    chains -= level.chain;
                    if level.brace {
                        angles = 0;
                        after_block = true;
                    } else {
                        // `f()()`, `a[0][1]`: each call or index wraps what came before.
                        chain = 1;
                    }
                }
                if chain == 0 {
                    i += 1;
                    continue;
                }
                i += 1;
            }
            b',' | b';' => {
                let top = levels.last_mut().expect("the file level is never popped");
                chains -= top.chain;
                top.chain = 0;
                angles = 0;
                i += 1;
                continue;
            }
            b'<' => {
                // `<=`, `<<=` are operators; `<-` does not exist.
                if b.get(i + 1) == Some(&b'=') {
                    chain = 1;
                    i += 2;
                } else {
                    angles += 1;
                    i += 1;
                }
            }
            b'>' => {
                if i > 0 && b[i - 1] == b'-' {
                    // `->`: a return type, which can nest (`fn() -> fn() -> T`); the `-` counted.
                } else if i > 0 && b[i - 1] == b'=' {
                    // `=>` closes nothing and opens nothing.
                } else if b.get(i + 1) == Some(&b'=') {
                    chain = 1;
                    i += 1;
                } else {
                    angles = angles.saturating_sub(1);
                }
                i += 1;
            }
            b'=' => {
                // The second character of `==`, `!=`, `+=`, …, or the `=` of `=>`.
                let compound =
                    i > 0 && matches!(b[i - 1], b'=' | b'!' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|');
                if !compound && b.get(i + 1) != Some(&b'>') {
                    chain = 1;
                }
                i += 1;
            }
            b'.' => {
                // `..` and `..=` count once.
                if !(i > 0 && b[i - 1] == b'.') {
                    chain = 1;
                }
                i += 1;
            }
            b'!' | b'-' | b'*' | b'&' | b'|' | b'+' | b'/' | b'%' | b'^' | b'?' | b'@' | b'~' => {
                chain = 1;
                i += 1;
            }
            _ => {
                // `:`, `#`, `$` and anything else nest nothing.
                i += 1;
                continue;
            }
        }
        if chain > 0 {
            levels.last_mut().expect("the file level is never popped").chain += chain;
            chains += chain;
        }
        if levels.len() - 1 + angles + chains > limit {
            return Some(i.saturating_sub(1).min(b.len().saturating_sub(1)));
        }
    }
    None
}

#[derive(Clone, Copy, Default)]
struct Level {
    chain: usize,
    brace: bool,
}

/// Keywords that nest the expression or type after them (`return x`, `move || x`, `box x`),
/// wrap the one before them (`x as T`), or chain blocks (`else`).
fn is_chaining_word(word: &[u8]) -> bool {
    matches!(word, b"as" | b"return" | b"break" | b"yield" | b"become" | b"move" | b"else" | b"box" | b"dyn" | b"impl")
}

/// Whether the token at `i`, just after a closing `}`, carries on the expression the block
/// ended: `} else`, `}.method()`, `}?`, `} + 1`, `} as T`.
fn continues_after_block(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'.' | b'?' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|' | b'=' | b'<' | b'>' | b'!' => true,
        c if c == b'_' || c.is_ascii_alphabetic() => matches!(&b[i..ident_end(b, i)], b"else" | b"as"),
        _ => false,
    }
}

fn ident_end(b: &[u8], i: usize) -> usize {
    i + b[i..].iter().take_while(|&&c| c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80).count()
}

/// Past a number literal: digits, letters (suffixes, hex digits, exponents), `_`, a decimal
/// point followed by a digit, and an exponent's sign.
fn skip_number(b: &[u8], mut i: usize) -> usize {
    let hex = b.get(i + 1).is_some_and(|c| matches!(c, b'x' | b'X' | b'o' | b'b'));
    // `t.0.1` is two field accesses, not a field and a float.
    let tuple_index = i > 0 && b[i - 1] == b'.';
    while i < b.len() {
        let c = b[i];
        if c == b'_' || c.is_ascii_alphanumeric() {
            i += 1;
            if !hex && matches!(c, b'e' | b'E') && matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
        } else if c == b'.' && !tuple_index && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    i
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

/// `r"…"`, `r#"…"#`, `b"…"`: `i` is just past the prefix; `None` if no string starts there (a
/// raw identifier such as `r#type`).
fn skip_raw_string(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    if b.get(i + hashes) != Some(&b'"') {
        return None;
    }
    if hashes == 0 && !matches!(b.get(i.wrapping_sub(1)), Some(b'r')) {
        // `b"…"`, `c"…"`: escapes as in a plain string.
        return Some(skip_string(b, i + 1));
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
/// lifetime or label (`'a`), whose name is then skipped too.
fn skip_char_literal(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    if b.get(i + 1) == Some(&b'\\') {
        // An escape: the literal ends at the next quote after the escaped character.
        let from = (i + 3).min(b.len());
        return b[from..].iter().position(|&c| c == b'\'').map_or(b.len(), |n| from + n + 1);
    }
    let next_len = text.get(i + 1..).and_then(|t| t.chars().next()).map_or(0, char::len_utf8);
    if next_len > 0 && b.get(i + 1 + next_len) == Some(&b'\'') {
        i + 2 + next_len
    } else if b.get(i + 1).is_some_and(|&c| c == b'_' || c.is_ascii_alphabetic() || c >= 0x80) {
        ident_end(b, i + 1)
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest limit the text stays within.
    fn depth(text: &str) -> usize {
        let (mut lo, mut hi) = (0, text.len() + 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if too_deep(text, mid).is_none() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    #[test]
    fn counts_brackets_and_generics() {
        assert_eq!(depth("fn f() { g((1, [2])) }"), 5);
        assert_eq!(depth("type T = Vec<Vec<Option<u8>>>;"), 4);
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        let at = too_deep(&deep, MAX_NESTING).expect("too deep");
        assert!((MAX_NESTING..MAX_NESTING + 12).contains(&at), "{at}");
        assert_eq!(deep.as_bytes()[at], b'(');
    }

    #[test]
    fn statements_and_arms_do_not_add_up() {
        let many = "fn f() { let _ = a < b; }\n".repeat(5000);
        assert!(depth(&many) <= 4, "{}", depth(&many));
        let arms = format!("fn f() {{ match x {{ {} }} }}", "v if v < 3 => 1, ".repeat(5000));
        assert!(depth(&arms) <= 4, "{}", depth(&arms));
        let ifs = format!("fn f() {{ {} }}", "if a == b { c(); } ".repeat(5000));
        assert!(depth(&ifs) <= 5, "{}", depth(&ifs));
        let methods = format!("impl X {{ {} }}", "pub fn f(&self) -> &u8 { &self.0 } ".repeat(5000));
        assert!(depth(&methods) <= 8, "{}", depth(&methods));
        let arms = format!("fn f() {{ match x {{ {} }} }}", "A | B => { g() } ".repeat(5000));
        assert!(depth(&arms) <= 6, "{}", depth(&arms));
    }

    #[test]
    fn chains_nest() {
        for (unit, count) in [
            ("!", 1),
            ("&", 1),
            ("-", 1),
            ("return ", 1),
            ("|| ", 2),
            ("move || ", 3),
            ("a = ", 1),
            ("a + ", 1),
            ("x.f()", 2),
            ("?", 1),
            (".0", 1),
            ("()", 1),
            (" as u8", 1),
        ] {
            let text = format!("fn f() {{ {} }}", unit.repeat(3000));
            let d = depth(&text);
            assert!(d >= 3000 * count, "{unit:?}: {d}");
        }
        let elses = format!("fn f() {{ if a {{}} {} }}", "else if b { c(); } ".repeat(3000));
        assert!(depth(&elses) >= 3000);
        let types = format!("type T = {}u8;", "fn() -> ".repeat(3000));
        assert!(depth(&types) >= 3000);
    }

    #[test]
    fn skips_comments_strings_and_literals() {
        let text = r####"
            // ((((((
            /* (((( /* nested (( */ (((( */
            const A: &str = "(((( \" ((((";
            const B: &str = r#"(((( " (((("#;
            const C: &[u8] = br"((((";
            const D: char = '(';
            const E: char = '\'';
            const F: char = 'é';
            const G: u8 = b'(';
            const H: &[u8] = b"((((";
            const I: f64 = 1.5e-3;
            fn g<'a>(x: &'a str) -> &'a str { 'outer: loop { break 'outer x; } }
            let r#type = 1;
        "####;
        assert!(depth(text) <= 6, "{}", depth(text));
    }

    #[test]
    fn unterminated_input_ends_the_scan() {
        for text in ["\"((((", "/* ((((", "r#\"((((", "'", "'\\", "x < ", "b'", "r#", "1e", "}}}}", ")))"] {
            assert!(too_deep(text, 1).is_none(), "{text:?}");
        }
    }
}

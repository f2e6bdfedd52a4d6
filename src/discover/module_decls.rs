//! The `mod name;` declarations of a Rust file, with the cfg that compiles each.
//!
//! Discovery reads every file that may declare a module of the plan, so this must cost next to
//! nothing: a small lexer (comments, strings, characters and lifetimes told apart, brackets
//! matched) finds the items at the file's top level and in its inline modules, and only the
//! attributes written just before a `mod` that mention `cfg` or `path` are parsed, with syn.
//! Lexing whole files with `proc_macro2` cost two seconds on 200 crates, as much as half the
//! analysis of them.

use super::test_modules::{normalise, MAX_DEPTH};
use std::path::{Path, PathBuf};
use taskcheck_lints::facts::test_attrs::is_cfg_test;

/// One `mod name;`: the file it stands for, and whether a cfg makes it test-only (on the
/// declaration or on an inline module around it).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Declaration {
    /// `D/N.rs` and `D/N/mod.rs`, or the one file a `#[path]` names.
    pub files: Vec<PathBuf>,
    pub test_only: bool,
}

/// The `mod name;` declarations of the file at `path` with text `text`, at its top level and
/// in its inline modules (not in functions, impls or macro calls). Text that does not lex
/// as Rust yields what was found before the trouble.
pub(super) fn declarations_in(path: &Path, text: &str) -> Vec<Declaration> {
    let Some(dir) = path.parent() else { return Vec::new() };
    // `mod x;` in `D/lib.rs`, `D/main.rs` or `D/mod.rs` is `D/x.rs`; in `D/a.rs`, `D/a/x.rs`.
    let mod_rs = matches!(path.file_name().and_then(|n| n.to_str()), Some("lib.rs" | "main.rs" | "mod.rs"));
    let base = match (mod_rs, path.file_stem()) {
        (false, Some(stem)) => dir.join(stem),
        _ => dir.to_path_buf(),
    };
    let tokens: Vec<Token<'_>> = Lexer { bytes: text.as_bytes(), text, at: 0, in_attribute: false }.collect();
    let mut found = Vec::new();
    // What each open bracket is: an inline module's body (where items are), or anything else.
    let mut frames = vec![Frame::Items(Scope { base, path_base: dir.to_path_buf(), test_only: false })];
    let mut attrs: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(Frame::Items(scope)) = frames.last() else {
            match tokens[i] {
                Token::Open => frames.push(Frame::Other),
                Token::Close => {
                    frames.pop();
                }
                _ => {}
            }
            i += 1;
            continue;
        };
        match tokens[i] {
            Token::Attr(attr) => attrs.push(attr),
            Token::InnerAttr => {}
            // Visibility (`pub`, `pub(crate)`, `pub(in path)`) keeps the attributes for the item it begins.
            Token::Ident("pub") => {
                if tokens.get(i + 1) == Some(&Token::Open) {
                    i += 1 + matching_close(&tokens[i + 1..]);
                }
            }
            Token::Ident("mod") => {
                if let Some(&Token::Ident(name)) = tokens.get(i + 1) {
                    let attrs = parse_attrs(&std::mem::take(&mut attrs));
                    let test_only = scope.test_only || is_cfg_test(&attrs);
                    let path = path_attr(&attrs);
                    match tokens.get(i + 2) {
                        Some(Token::Punct(b';')) => {
                            let files = match &path {
                                Some(path) => vec![normalise(&scope.path_base.join(path))],
                                None => {
                                    let base = normalise(&scope.base);
                                    vec![base.join(format!("{name}.rs")), base.join(name).join("mod.rs")]
                                }
                            };
                            found.push(Declaration { files, test_only });
                        }
                        Some(Token::Open) if frames.len() <= MAX_DEPTH => {
                            let base = scope.base.join(path.as_deref().unwrap_or(name));
                            frames.push(Frame::Items(Scope { path_base: base.clone(), base, test_only }));
                        }
                        Some(Token::Open) => frames.push(Frame::Other),
                        _ => {}
                    }
                    i += 3;
                    continue;
                }
                attrs.clear();
            }
            Token::Open => {
                frames.push(Frame::Other);
                attrs.clear();
            }
            Token::Close => {
                frames.pop();
                attrs.clear();
            }
            _ => attrs.clear(),
        }
        i += 1;
    }
    found
}

/// How far after `tokens[0]` (an open bracket) its closing bracket is.
fn matching_close(tokens: &[Token<'_>]) -> usize {
    let mut depth = 0usize;
    for (at, token) in tokens.iter().enumerate() {
        match token {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

enum Frame {
    Items(Scope),
    Other,
}

/// Where declarations in the current module lead.
struct Scope {
    /// The folder of `mod x;`'s `x.rs`.
    base: PathBuf,
    /// The folder a `#[path]` is relative to: the file's own at its top level, else `base`.
    path_base: PathBuf,
    test_only: bool,
}

/// The attributes that can matter (`cfg`, `path`), parsed; the rest are not.
fn parse_attrs(texts: &[&str]) -> Vec<syn::Attribute> {
    let wanted: Vec<&str> = texts.iter().copied().filter(|a| a.contains("cfg") || a.contains("path")).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &wanted.join("\n")).unwrap_or_default()
}

/// The file or folder a `#[path = "…"]` names.
fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().filter(|a| a.path().is_ident("path")).find_map(|a| match &a.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
            ..
        }) => Some(s.value()),
        _ => None,
    })
}

/// What the declarations are found among. Literals, numbers and most punctuation stand for
/// "something else" (`Punct`); all brackets are alike, since valid Rust balances them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'t> {
    Ident(&'t str),
    Punct(u8),
    /// An outer attribute, `#[…]`, as written.
    Attr(&'t str),
    /// `#![…]`.
    InnerAttr,
    Open,
    Close,
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// Within an attribute's brackets, where a `#` is only punctuation (so that `#[#[#[…`
    /// cannot recurse deeper than once).
    in_attribute: bool,
}

impl<'t> Iterator for Lexer<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        loop {
            let b = *self.bytes.get(self.at)?;
            let next = self.bytes.get(self.at + 1).copied();
            match b {
                b if b.is_ascii_whitespace() => self.at += 1,
                b'/' if next == Some(b'/') => self.skip_line(),
                b'/' if next == Some(b'*') => self.skip_block_comment(),
                b'"' => {
                    self.skip_string();
                    return Some(Token::Punct(b'"'));
                }
                b'\'' => {
                    if self.skip_char_literal() {
                        return Some(Token::Punct(b'\''));
                    }
                }
                b'#' if !self.in_attribute => return Some(self.attribute()),
                b'(' | b'[' | b'{' => {
                    self.at += 1;
                    return Some(Token::Open);
                }
                b')' | b']' | b'}' => {
                    self.at += 1;
                    return Some(Token::Close);
                }
                b'0'..=b'9' => {
                    while self.bytes.get(self.at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                        self.at += 1;
                    }
                    return Some(Token::Punct(b'0'));
                }
                b if is_ident_byte(b) => return Some(self.ident()),
                _ => {
                    self.at += 1;
                    return Some(Token::Punct(b));
                }
            }
        }
    }
}

/// Identifier bytes: ASCII letters, digits, `_`, and any byte of a non-ASCII character.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl<'t> Lexer<'t> {
    fn skip_line(&mut self) {
        self.at = self.bytes[self.at..].iter().position(|&c| c == b'\n').map_or(self.bytes.len(), |p| self.at + p);
    }

    /// `/* … */`, nested.
    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while self.at < self.bytes.len() {
            match (self.bytes[self.at], self.bytes.get(self.at + 1)) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    self.at += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    self.at += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    /// From the opening `"` of a string to after its end.
    fn skip_string(&mut self) {
        self.skip_quoted(0, false);
    }

    /// From the opening `"` of a string with `hashes` `#` after its closing quote (escapes
    /// have no meaning when `raw`), to after its end.
    fn skip_quoted(&mut self, hashes: usize, raw: bool) {
        self.at += 1;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' if !raw => self.at = (self.at + 2).min(self.bytes.len()),
                b'"' => {
                    let end = self.at + 1 + hashes;
                    if self.bytes.get(self.at + 1..end).is_some_and(|h| h.iter().all(|&c| c == b'#')) {
                        self.at = end;
                        return;
                    }
                    self.at += 1;
                }
                _ => self.at += 1,
            }
        }
    }

    /// At a `'`: skips a character literal (`'x'`, `'\n'`, `'\u{1F600}'`, `'é'`) and says so,
    /// or steps over the quote of a lifetime (`'a`), whose name is lexed next.
    fn skip_char_literal(&mut self) -> bool {
        let rest = &self.text[self.at + 1..];
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, '\\')) => {
                // An escape: up to the closing quote (`'\''` has its quote escaped).
                let body = rest.as_bytes().get(2..).unwrap_or_default();
                let end = body.iter().position(|&c| c == b'\'').map_or(rest.len(), |p| p + 2);
                self.at = (self.at + 1 + end + 1).min(self.bytes.len());
                true
            }
            Some((_, c)) if chars.next().is_some_and(|(_, q)| q == '\'') => {
                self.at += 1 + c.len_utf8() + 1;
                true
            }
            _ => {
                self.at += 1;
                false
            }
        }
    }

    /// An identifier or keyword; a raw identifier (`r#type`) without its `r#`; or a prefixed
    /// string (`b"…"`, `r#"…"#`, `br"…"`, `c"…"`) skipped whole.
    fn ident(&mut self) -> Token<'t> {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|&c| is_ident_byte(c)) {
            self.at += 1;
        }
        let word = &self.text[start..self.at];
        let raw_prefix = matches!(word, "r" | "br" | "cr");
        match self.bytes.get(self.at) {
            Some(b'"') => {
                self.skip_quoted(0, raw_prefix);
                Token::Punct(b'"')
            }
            Some(b'#') if raw_prefix => {
                let hashes = self.bytes[self.at..].iter().take_while(|&&c| c == b'#').count();
                match self.bytes.get(self.at + hashes) {
                    Some(b'"') => {
                        self.at += hashes;
                        self.skip_quoted(hashes, true);
                        Token::Punct(b'"')
                    }
                    Some(&c) if word == "r" && hashes == 1 && is_ident_byte(c) => {
                        self.at += 1;
                        match self.ident() {
                            Token::Ident(name) => Token::Ident(name),
                            other => other,
                        }
                    }
                    _ => Token::Ident(word),
                }
            }
            Some(b'\'') if word == "b" => {
                self.skip_char_literal();
                Token::Punct(b'\'')
            }
            _ => Token::Ident(word),
        }
    }

    /// At a `#`: an outer attribute `#[…]` (its text), an inner one `#![…]`, or a lone `#`.
    fn attribute(&mut self) -> Token<'t> {
        let start = self.at;
        self.at += 1;
        let rest = &self.bytes[self.at..];
        let skip_ws = |from: usize| from + rest[from..].iter().take_while(|c| c.is_ascii_whitespace()).count();
        let mut bracket = skip_ws(0);
        let inner = rest.get(bracket) == Some(&b'!');
        if inner {
            bracket = skip_ws(bracket + 1);
        }
        if rest.get(bracket) != Some(&b'[') {
            return Token::Punct(b'#');
        }
        self.at += bracket;
        self.in_attribute = true;
        let mut depth = 0usize;
        for token in self.by_ref() {
            match token {
                Token::Open => depth += 1,
                Token::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        self.in_attribute = false;
        if inner {
            Token::InnerAttr
        } else {
            Token::Attr(&self.text[start..self.at])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token<'_>> {
        Lexer { bytes: text.as_bytes(), text, at: 0, in_attribute: false }.collect()
    }

    /// Comments, strings, characters and lifetimes hide what looks like declarations in them.
    #[test]
    fn lexing_skips_what_is_not_code() {
        use Token::*;
        assert_eq!(tokens("// mod a;\n/* /* mod b; */ mod c; */ mod d;"), [Ident("mod"), Ident("d"), Punct(b';')]);
        assert_eq!(tokens("\"mod a; \\\" }\" x"), [Punct(b'"'), Ident("x")]);
        assert_eq!(
            tokens("r#\"mod \"a\"; }\"# br\"}\" b\"}\" c\"}\" x"),
            [Punct(b'"'), Punct(b'"'), Punct(b'"'), Punct(b'"'), Ident("x")]
        );
        assert_eq!(
            tokens("'}' '\\'' '\\u{7d}' 'é' b'}' x"),
            [Punct(b'\''), Punct(b'\''), Punct(b'\''), Punct(b'\''), Punct(b'\''), Ident("x")]
        );
        assert_eq!(tokens("fn f<'a>(x: &'a u8) {}")[..4], [Ident("fn"), Ident("f"), Punct(b'<'), Ident("a")]);
        assert_eq!(tokens("mod r#type; 1_000u32"), [Ident("mod"), Ident("type"), Punct(b';'), Punct(b'0')]);
        assert_eq!(
            tokens("#![cfg(test)] # [cfg(any(test, feature = \"a]\"))] #x"),
            [InnerAttr, Attr("# [cfg(any(test, feature = \"a]\"))]"), Punct(b'#'), Ident("x")]
        );
    }

    fn declared(path: &str, text: &str) -> Vec<(Vec<String>, bool)> {
        declarations_in(Path::new(path), text)
            .into_iter()
            .map(|d| (d.files.iter().map(|f| f.to_string_lossy().into_owned()).collect(), d.test_only))
            .collect()
    }

    #[test]
    fn declarations_with_their_cfg() {
        let text = "//! crate\n#[cfg(test)]\nmod tests;\n/// docs; {\n#[cfg(any(test, feature = \"test-utils\"))]\n\
                    pub(crate) mod testing;\n#[cfg(not(test))] mod real;\nmod plain;\nfn f() { mod hidden; }\n\
                    #[cfg(test)] #[path = \"../extra/t.rs\"] mod by_path;\n\
                    #[cfg(test)] mod inline { mod inner; }\nmod outer { #[cfg(feature = \"mock\")] pub mod m; }\n\
                    #[cfg(test)] const X: u8 = 1; mod after_const;\nmacro_rules! m { () => { mod in_macro; } }\n";
        let found = declared("p/src/lib.rs", text);
        let file = |name: &str| vec![format!("p/src/{name}.rs"), format!("p/src/{name}/mod.rs")];
        assert_eq!(
            found,
            [
                (file("tests"), true),
                (file("testing"), true),
                (file("real"), false),
                (file("plain"), false),
                (vec!["p/extra/t.rs".to_string()], true),
                (file("inline/inner"), true),
                (file("outer/m"), true),
                (file("after_const"), false),
            ]
        );
        // A non-mod-rs file declares into its own folder; `#[path]` stays relative to its own.
        let found =
            declared("p/src/client.rs", "#[cfg(test)] pub(in crate::a) mod mock_server;\n#[path = \"x.rs\"] mod y;");
        assert_eq!(
            found,
            [
                (vec!["p/src/client/mock_server.rs".to_string(), "p/src/client/mock_server/mod.rs".to_string()], true),
                (vec!["p/src/x.rs".to_string()], false),
            ]
        );
        // Unbalanced or unterminated text: what came before, and no panic.
        assert_eq!(declared("p/src/lib.rs", "#[cfg(test)] mod a; mod unclosed { \"").len(), 1);
        assert!(declared("p/src/lib.rs", "'").is_empty());
        assert!(declared("p/src/lib.rs", "'\\").is_empty());
        assert!(declared("p/src/lib.rs", "r#").is_empty());
        assert!(declared("p/src/lib.rs", "#[").is_empty());
        assert!(declared("p/src/lib.rs", &"#[".repeat(100_000)).is_empty());
    }
}

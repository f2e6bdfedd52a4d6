//! Test context: which functions are tests and how they run.

use super::TestAttr;
use syn::Attribute;

/// The test attribute of a function: `#[test]`, `#[tokio::test(...)]`, `#[async_std::test]`,
/// or any `#[<crate>::test]` (test-log, sqlx, …); `extra` names more (`rstest`, `test_case`).
pub fn test_attr(
    attrs: &[Attribute],
    extra: &[String],
    span: impl Fn(&Attribute) -> crate::source::Span,
) -> Option<TestAttr> {
    for attr in attrs {
        let path = attr.path();
        let last = path.segments.last()?.ident.to_string();
        let written = path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
        if last == "test" || extra.iter().any(|e| *e == written || *e == last) {
            let mut start_paused = false;
            if let syn::Meta::List(list) = &attr.meta {
                let tokens = list.tokens.to_string().replace(' ', "");
                start_paused = tokens.contains("start_paused=true");
            }
            return Some(TestAttr { path: written, start_paused, span: span(attr) });
        }
    }
    None
}

/// `#[should_panic]`: the test passes only if it panics, so what happens after the panic
/// point does not matter to it.
pub fn expects_panic(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("should_panic"))
}

/// Test-only code: a `#[cfg(…)]` whose predicate names, outside `not(…)`, either `test`
/// (`cfg(test)`, `cfg(all(test, …))`, `cfg(any(test, …))`) or a test-support feature
/// ([`is_test_support_feature`]: `cfg(feature = "test-util")`). `cfg(not(test))` is not.
/// The same rule decides whether a module file is test code because the file declaring it
/// says so (`#[cfg(test)] mod tests;`), so that inline and file modules agree.
pub fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        if !attr.path().is_ident("cfg") {
            return false;
        }
        match &attr.meta {
            syn::Meta::List(list) => cfg_mentions_test(list.tokens.clone(), false),
            _ => false,
        }
    })
}

/// A cargo feature that exists to compile test support: one of its words (split at `-` and
/// `_`) is `test`, `tests`, `testing`, `testutil`, `testutils`, `mock`, `mocks` or `mocking`
/// (`test-util`, `test_helpers`, `integration-tests`, `__testing`, `mock`, and `test` itself,
/// which a crate has for nothing else). Words that merely begin with `test` do not count:
/// `testnet` builds a production client for a test network.
pub fn is_test_support_feature(name: &str) -> bool {
    const WORDS: [&str; 8] = ["test", "tests", "testing", "testutil", "testutils", "mock", "mocks", "mocking"];
    name.split(['-', '_']).any(|word| WORDS.contains(&word.to_ascii_lowercase().as_str()))
}

fn cfg_mentions_test(tokens: proc_macro2::TokenStream, negated: bool) -> bool {
    use proc_macro2::TokenTree;
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Ident(id) => {
                let name = id.to_string();
                let assigned = matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '=');
                if name == "test" && !negated && !assigned {
                    return true;
                }
                if name == "feature" && assigned {
                    iter.next();
                    if let Some(TokenTree::Literal(value)) = iter.next() {
                        let value = value.to_string();
                        let value = value.trim_matches('"');
                        if !negated && is_test_support_feature(value) {
                            return true;
                        }
                    }
                    continue;
                }
                if let Some(TokenTree::Group(g)) = iter.peek() {
                    let inner = g.stream();
                    iter.next();
                    if cfg_mentions_test(inner, negated || name == "not") {
                        return true;
                    }
                }
            }
            TokenTree::Group(g) if cfg_mentions_test(g.stream(), negated) => return true,
            _ => {}
        }
    }
    false
}

/// A test about deadlocks, whose locks wait forever on purpose: a test function (or test code)
/// whose name or body names a deadlock in an identifier (`test_mutex_deadlock_reentrant`, a
/// detector's `check_deadlock()` or `assert_deadlock(1)`, a `deadlocked` flag). parking_lot's
/// deadlock detector is tested by deadlocking a thread and asserting that it is detected.
pub fn is_deadlock_test(facts: &super::Facts<'_>, f: super::FnId) -> bool {
    let func = facts.func(f);
    if func.test_attr.is_none() && !func.ctx.is_test {
        return false;
    }
    if let Some(known) = facts.deadlock_tests.borrow().get(&f) {
        return *known;
    }
    let answer = names_deadlock(&func.name) || mentions_deadlock(quote::ToTokens::to_token_stream(func.body));
    facts.deadlock_tests.borrow_mut().insert(f, answer);
    answer
}

fn names_deadlock(ident: &str) -> bool {
    ident.split('_').any(|w| w.to_ascii_lowercase().starts_with("deadlock"))
}

fn mentions_deadlock(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => names_deadlock(&i.to_string()),
        proc_macro2::TokenTree::Group(g) => mentions_deadlock(g.stream()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(src: &str) -> Vec<Attribute> {
        let f: syn::ItemFn = syn::parse_str(&format!("{src} fn f() {{}}")).unwrap();
        f.attrs
    }

    #[test]
    fn cfg_test_forms() {
        assert!(is_cfg_test(&attrs("#[cfg(test)]")));
        assert!(is_cfg_test(&attrs("#[cfg(all(test, feature = \"x\"))]")));
        assert!(!is_cfg_test(&attrs("#[cfg(not(test))]")));
        assert!(is_cfg_test(&attrs("#[cfg(any(test, feature = \"x\"))]")));
        assert!(!is_cfg_test(&attrs("#[cfg(test = \"x\")]")));
        assert!(!is_cfg_test(&attrs("#[cfg(unix)]")));
        assert!(!is_cfg_test(&attrs("#[cfg_attr(test, derive(Debug))]")));
    }

    /// Test-support features, and the features that only look like one.
    #[test]
    fn cfg_test_support_features() {
        for feature in ["test", "test-util", "test-utils", "test_helpers", "testing", "__testing", "mock", "testutils"]
        {
            assert!(is_cfg_test(&attrs(&format!("#[cfg(feature = \"{feature}\")]"))), "{feature}");
        }
        assert!(is_cfg_test(&attrs("#[cfg(any(test, feature = \"test-utils\"))]")));
        assert!(is_cfg_test(&attrs("#[cfg(all(unix, feature = \"integration-tests\"))]")));
        for feature in ["testnet", "latest", "contest", "attest", "std", "mockall-derive"] {
            assert!(!is_cfg_test(&attrs(&format!("#[cfg(feature = \"{feature}\")]"))), "{feature}");
        }
        assert!(!is_cfg_test(&attrs("#[cfg(not(feature = \"test-util\"))]")));
        assert!(!is_cfg_test(&attrs("#[cfg(all(unix, not(any(test, feature = \"mock\"))))]")));
    }

    #[test]
    fn test_attributes() {
        let dummy = |_: &Attribute| crate::source::Span::new(crate::source::FileId(0), 0, 0);
        let a =
            test_attr(&attrs("#[tokio::test(flavor = \"multi_thread\", start_paused = true)]"), &[], dummy).unwrap();
        assert!(a.start_paused);
        assert_eq!(a.path, "tokio::test");
        assert!(test_attr(&attrs("#[inline]"), &[], dummy).is_none());
        assert!(test_attr(&attrs("#[rstest]"), &["rstest".into()], dummy).is_some());
    }
}

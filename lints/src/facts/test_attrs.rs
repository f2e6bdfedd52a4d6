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

/// `#[cfg(test)]`, `#[cfg(all(test, …))]`: test-only code. `cfg(not(test))` is not.
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

fn cfg_mentions_test(tokens: proc_macro2::TokenStream, negated: bool) -> bool {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            proc_macro2::TokenTree::Ident(id) => {
                let name = id.to_string();
                if name == "test"
                    && !negated
                    && !matches!(iter.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '=')
                {
                    return true;
                }
                if let Some(proc_macro2::TokenTree::Group(g)) = iter.peek() {
                    let inner = g.stream();
                    iter.next();
                    if cfg_mentions_test(inner, negated || name == "not") {
                        return true;
                    }
                }
            }
            proc_macro2::TokenTree::Group(g) if cfg_mentions_test(g.stream(), negated) => return true,
            _ => {}
        }
    }
    false
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
        assert!(!is_cfg_test(&attrs("#[cfg(feature = \"test\")]")));
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

use crate::context::FileCx;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::{Call, Callee};
use crate::registry::Rule;
use crate::source::Span;

crate::declare_lint! {
    /// ### What it does
    /// Finds channels created without a capacity: `tokio::sync::mpsc::unbounded_channel`,
    /// `std::sync::mpsc::channel`, `crossbeam_channel::unbounded`, `flume::unbounded`,
    /// `async_channel::unbounded` (and `async_std::channel::unbounded`),
    /// `futures::channel::mpsc::unbounded`, however they are imported. Test code is left alone,
    /// and so are queues bounded by construction, whose length the code itself caps:
    ///
    /// - every send, through the sender or a `let` clone of it (`tx.send(v)`, or
    ///   `Sender::send(&tx, v)`), runs a number of times written
    ///   in the code: outside any loop (a oneshot in all but name), or inside loops with a
    ///   literal or constant count (`for _ in 0..WORKERS`, `for x in [a, b, c]`,
    ///   `(0..4).for_each(…)`), in code that runs once where it stands (a spawned closure
    ///   does; a callback handed to other code may run any number of times, unless the
    ///   channel is made afresh inside it). A sender that never sends, only dropped, queues
    ///   nothing;
    /// - the sender is stored (in a struct, an `Arc`, a `Mutex`) and every send through a
    ///   field in the file runs only for the caller that sets an atomic flag
    ///   (`if !task.scheduled.swap(true, …) { self.queue.send(task) }`, a
    ///   `compare_exchange(false, true, …)` that must succeed, or the early `return` of the
    ///   others): a scheduler's run queue where each task is queued at most once holds at most
    ///   one entry per live task.
    ///
    /// A loop over a collection (`for item in items`) is not a written count, even when the
    /// collection is in memory already; the sends through a field are judged for the whole
    /// file, so one unguarded send keeps every stored channel of the file reported.
    ///
    /// This lint is allowed by default: an unbounded channel is the right choice where the
    /// producer is bounded by construction (one message per request already admitted,
    /// a shutdown signal). Enable it to review every queue without a limit.
    ///
    /// ### Why is this bad
    /// Go's rule: bound concurrency. An unbounded queue never pushes back: when the consumer
    /// falls behind, memory grows with the producer's lead until the process is killed, and
    /// latency grows with it. A bounded channel makes the producer wait (or fail with
    /// `try_send`), which is the back-pressure the system needs.
    ///
    /// ### Known problems
    /// The suggestion changes the channel's type, and sending becomes waiting: tokio's
    /// `Sender::send` is `async` (`tx.send(v).await`), std's `SyncSender::send`, crossbeam's
    /// and flume's `send` block when the channel is full. Call sites must be updated by hand,
    /// and the capacity is a placeholder to choose.
    ///
    /// ### Example
    /// ```rust,ignore
    /// let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    /// ```
    /// Use instead:
    /// ```rust,ignore
    /// let (tx, rx) = tokio::sync::mpsc::channel(1024);
    /// // producers: tx.send(job).await?  (waits while the queue is full)
    /// ```
    pub static UNBOUNDED_CHANNEL = {
        name: "unbounded_channel",
        rule: Some(Rule::BoundConcurrency),
        category: Pedantic,
        cost: Advice,
        summary: "a channel without a capacity: memory grows with the producer's lead",
        why: "an unbounded queue gives no back-pressure, so a slow consumer turns into unbounded memory",
    };
}

/// An unbounded constructor: its resolved path, the bounded constructor's name, the full
/// path of the bounded constructor (for imports by name), and what sending becomes.
struct Constructor {
    path: &'static str,
    bounded: &'static str,
    bounded_full: &'static str,
    send: &'static str,
}

const CONSTRUCTORS: &[Constructor] = &[
    Constructor {
        path: "tokio::sync::mpsc::unbounded_channel",
        bounded: "channel",
        bounded_full: "tokio::sync::mpsc::channel",
        send: "`tx.send(v).await` waits while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "std::sync::mpsc::channel",
        bounded: "sync_channel",
        bounded_full: "std::sync::mpsc::sync_channel",
        send: "`tx.send(v)` blocks while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "crossbeam_channel::unbounded",
        bounded: "bounded",
        bounded_full: "crossbeam_channel::bounded",
        send: "`tx.send(v)` blocks while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "flume::unbounded",
        bounded: "bounded",
        bounded_full: "flume::bounded",
        send: "`tx.send(v)` blocks while the channel is full (`tx.send_async(v).await` waits, `try_send` fails)",
    },
    Constructor {
        path: "async_channel::unbounded",
        bounded: "bounded",
        bounded_full: "async_channel::bounded",
        send: "`tx.send(v).await` waits while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "async_std::channel::unbounded",
        bounded: "bounded",
        bounded_full: "async_std::channel::bounded",
        send: "`tx.send(v).await` waits while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "futures::channel::mpsc::unbounded",
        bounded: "channel",
        bounded_full: "futures::channel::mpsc::channel",
        send: "`tx.send(v).await` (`SinkExt`) waits while the channel is full (`try_send` fails instead)",
    },
    Constructor {
        path: "futures_channel::mpsc::unbounded",
        bounded: "channel",
        bounded_full: "futures_channel::mpsc::channel",
        send: "`tx.send(v).await` (`SinkExt`) waits while the channel is full (`try_send` fails instead)",
    },
];

pub fn check(cx: &FileCx<'_>) {
    for call in &cx.facts.calls {
        if call.ctx.is_test {
            continue;
        }
        let Some(resolved) = call.resolved() else {
            continue;
        };
        let Some(ctor) = CONSTRUCTORS.iter().find(|c| c.path == resolved) else {
            continue;
        };
        if bounded::by_construction(cx, call) {
            continue;
        }
        report(cx, call, ctor);
    }
}

mod bounded;

fn report(cx: &FileCx<'_>, call: &Call<'_>, ctor: &Constructor) {
    let Callee::Path { path, .. } = &call.callee else {
        return;
    };
    let written = crate::facts::walk::path_text(path);
    let mut d = Diagnostic::new(
        &UNBOUNDED_CHANNEL,
        call.callee_span,
        format!("`{written}` creates a channel without a capacity"),
    )
    .primary_label("memory grows with the producer's lead when the receiver falls behind")
    .help(format!(
        "use a bounded channel, `{}(capacity)`, so a full queue pushes back on the producer",
        ctor.bounded_full
    ))
    .note(format!("with a bounded channel, {}", ctor.send));
    if let Some(s) = suggestion(cx, call, path, ctor) {
        d.suggestions.push(s);
    }
    if let Some(note) = d.rule_note() {
        d = d.note(note);
    }
    cx.report(d);
}

/// Renames the constructor (keeping the path prefix and any turbofish as written) and gives it
/// a capacity placeholder.
fn suggestion(cx: &FileCx<'_>, call: &Call<'_>, path: &syn::Path, ctor: &Constructor) -> Option<Suggestion> {
    let syn::Expr::Call(c) = call.expr else {
        return None;
    };
    if !c.args.is_empty() {
        return None;
    }
    let last = path.segments.last()?;
    let name_span = cx.span_of(last.ident.span());
    // A name imported on its own (`use std::sync::mpsc::channel;`) becomes the full path, as
    // the bounded constructor is not imported.
    let name = if path.segments.len() == 1 { ctor.bounded_full } else { ctor.bounded };
    let parens = cx.span_of(c.paren_token.span.join());
    let arg = Span::new(cx.file, parens.start as usize, parens.end as usize);
    Some(Suggestion {
        message: "give the channel a capacity".to_string(),
        edits: vec![
            Edit { span: name_span, replacement: name.to_string() },
            Edit { span: arg, replacement: "(/* capacity */)".to_string() },
        ],
        applicability: Applicability::HasPlaceholders,
    })
}

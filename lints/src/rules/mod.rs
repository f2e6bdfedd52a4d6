//! Every lint, one file each. A lint is a `static` [`Lint`] (name, rule, level, docs) and a
//! `check` function from a file's facts to diagnostics.

use crate::context::{FileCx, WorkspaceCx};
use crate::registry::Lint;

pub mod barrier_count_mismatch;
pub mod blocking_in_async;
pub mod cancel_guard_dropped;
pub mod catch_unwind_around_spawn;
pub mod catch_unwind_under_abort;
pub mod condvar_wait_holding_lock;
pub mod condvar_wait_without_loop;
pub mod detached_spawn;
pub mod double_lock;
pub mod early_exit_leaks_tasks;
pub mod handles_never_joined;
pub mod join_result_ignored;
pub mod joinset_dropped;
pub mod lock_across_await;
pub mod lock_order_inversion;
pub mod missing_race_check;
pub mod raw_pointer_across_spawn;
pub mod recursive_read_lock;
pub mod send_sync_impl_unbounded;
pub mod sleep_for_unseen_work;
pub mod sleep_in_test;
pub mod static_mut;
pub mod task_dropped_on_spawn;
pub mod test_leaks_spawn;
pub mod unbounded_channel;
pub mod unbounded_library_accept_loop;
pub mod unbounded_spawn_in_loop;
pub mod uncancellable_loop;
pub mod undocumented_shared_type;
pub mod undocumented_unsafe_send_sync;
pub mod unmarked_safety_comment;
pub mod unnamed_thread;

/// A file lint's check: reads the file's facts, reports through the context.
pub type FileCheck = fn(&FileCx<'_>);

/// File lints in registry order (by rule, then name): `(lint, check)`.
pub static FILE_LINTS: &[(&Lint, FileCheck)] = &[
    (&detached_spawn::DETACHED_SPAWN, detached_spawn::check),
    (&task_dropped_on_spawn::TASK_DROPPED_ON_SPAWN, task_dropped_on_spawn::check),
    (&barrier_count_mismatch::BARRIER_COUNT_MISMATCH, barrier_count_mismatch::check),
    (&handles_never_joined::HANDLES_NEVER_JOINED, handles_never_joined::check),
    (&joinset_dropped::JOINSET_DROPPED, joinset_dropped::check),
    (&raw_pointer_across_spawn::RAW_POINTER_ACROSS_SPAWN, raw_pointer_across_spawn::check),
    (&blocking_in_async::BLOCKING_IN_ASYNC, blocking_in_async::check),
    (&cancel_guard_dropped::CANCEL_GUARD_DROPPED, cancel_guard_dropped::check),
    (&uncancellable_loop::UNCANCELLABLE_LOOP, uncancellable_loop::check),
    (&catch_unwind_around_spawn::CATCH_UNWIND_AROUND_SPAWN, catch_unwind_around_spawn::check),
    (&join_result_ignored::JOIN_RESULT_IGNORED, join_result_ignored::check),
    (&early_exit_leaks_tasks::EARLY_EXIT_LEAKS_TASKS, early_exit_leaks_tasks::check),
    (&condvar_wait_holding_lock::CONDVAR_WAIT_HOLDING_LOCK, condvar_wait_holding_lock::check),
    (&condvar_wait_without_loop::CONDVAR_WAIT_WITHOUT_LOOP, condvar_wait_without_loop::check),
    (&double_lock::DOUBLE_LOCK, double_lock::check),
    (&lock_across_await::LOCK_ACROSS_AWAIT, lock_across_await::check),
    (&recursive_read_lock::RECURSIVE_READ_LOCK, recursive_read_lock::check),
    (&sleep_in_test::SLEEP_IN_TEST, sleep_in_test::check),
    (&sleep_for_unseen_work::SLEEP_FOR_UNSEEN_WORK, sleep_for_unseen_work::check),
    (&static_mut::STATIC_MUT, static_mut::check),
    (&unbounded_channel::UNBOUNDED_CHANNEL, unbounded_channel::check),
    (&unbounded_library_accept_loop::UNBOUNDED_LIBRARY_ACCEPT_LOOP, unbounded_library_accept_loop::check),
    (&unbounded_spawn_in_loop::UNBOUNDED_SPAWN_IN_LOOP, unbounded_spawn_in_loop::check),
    (&undocumented_unsafe_send_sync::UNDOCUMENTED_UNSAFE_SEND_SYNC, undocumented_unsafe_send_sync::check),
    (&unmarked_safety_comment::UNMARKED_SAFETY_COMMENT, unmarked_safety_comment::check),
    (&test_leaks_spawn::TEST_LEAKS_SPAWN, test_leaks_spawn::check),
    (&unnamed_thread::UNNAMED_THREAD, unnamed_thread::check),
];

/// A lint that runs over the whole workspace after every file: `collect` exports facts from
/// each file (see [`FileCx::export`]), `check` reads them all. A file lint may have a
/// workspace part too (`double_lock`: re-locks through calls into other files; `detached_spawn`: loops in
/// another file's function); it is listed
/// in both tables, and once by [`crate::all_lints`].
pub struct WorkspaceLint {
    pub lint: &'static Lint,
    pub collect: fn(&FileCx<'_>),
    pub check: fn(&WorkspaceCx<'_>),
}

/// Workspace lints in registry order.
pub static WORKSPACE_LINTS: &[WorkspaceLint] = &[
    WorkspaceLint {
        lint: &detached_spawn::DETACHED_SPAWN,
        collect: detached_spawn::collect,
        check: detached_spawn::check_across_files,
    },
    WorkspaceLint {
        lint: &catch_unwind_under_abort::CATCH_UNWIND_UNDER_ABORT,
        collect: catch_unwind_under_abort::collect,
        check: catch_unwind_under_abort::check,
    },
    WorkspaceLint {
        lint: &double_lock::DOUBLE_LOCK,
        collect: double_lock::collect,
        check: double_lock::check_across_files,
    },
    WorkspaceLint {
        lint: &lock_order_inversion::LOCK_ORDER_INVERSION,
        collect: lock_order_inversion::collect,
        check: lock_order_inversion::check,
    },
    WorkspaceLint {
        lint: &missing_race_check::MISSING_RACE_CHECK,
        collect: missing_race_check::collect,
        check: missing_race_check::check,
    },
    WorkspaceLint {
        lint: &sleep_in_test::SLEEP_IN_TEST,
        collect: sleep_in_test::collect,
        check: sleep_in_test::check_across_files,
    },
    WorkspaceLint {
        lint: &send_sync_impl_unbounded::SEND_SYNC_IMPL_UNBOUNDED,
        collect: send_sync_impl_unbounded::collect,
        check: send_sync_impl_unbounded::check,
    },
    WorkspaceLint {
        lint: &undocumented_shared_type::UNDOCUMENTED_SHARED_TYPE,
        collect: undocumented_shared_type::collect,
        check: undocumented_shared_type::check,
    },
];

// A guard moved out of its binding on one path and dropped on another: each path is followed
// on its own, so the `drop` releases it where it runs.
use std::sync::{Mutex, MutexGuard};

// MUST NOT: the `else` branch drops `g0` before locking again; the `then` branch moves it to `g`.
pub fn if_moves_or_drops(m: &Mutex<u32>, fresh: bool) -> u32 {
    let g0 = m.lock().unwrap();
    let g = if fresh {
        g0
    } else {
        drop(g0);
        m.lock().unwrap()
    };
    drop(g);
    *m.lock().unwrap()
}

// MUST NOT: the same with a `match`, the moving arm first.
pub fn match_moves_or_drops(m: &Mutex<u32>, n: u32) {
    let g0 = m.lock().unwrap();
    let g = match n {
        0 => g0,
        _ => {
            drop(g0);
            m.lock().unwrap()
        }
    };
    let _ = g;
}

// MUST NOT: the guard is returned on one path and dropped on the other.
pub fn returned_or_dropped(m: &Mutex<u32>, keep: bool) -> MutexGuard<'_, u32> {
    let g0 = m.lock().unwrap();
    if keep {
        g0
    } else {
        drop(g0);
        m.lock().unwrap()
    }
}

// MUST NOT: moved to an outer binding in a block, dropped through it.
pub fn moved_out_of_block(m: &Mutex<u32>) {
    let g = {
        let g0 = m.lock().unwrap();
        g0
    };
    drop(g);
    let _again = m.lock().unwrap();
}

// MUST: the branch that moves the guard keeps it alive in `g`, and both paths reach the lock
// with it held.
pub fn moved_on_both_paths(m: &Mutex<u32>, fresh: bool) {
    let g0 = m.lock().unwrap();
    let g = if fresh { g0 } else { g0 };
    let _again = m.lock().unwrap(); //~ double_lock
    let _ = g;
}

// MUST: every arm moves the guard into `g`, which still holds it.
pub fn match_arms_move(m: &Mutex<u32>, n: u32) -> u32 {
    let g0 = m.lock().unwrap();
    let g = match n {
        0 => g0,
        _ => g0,
    };
    let again = *m.lock().unwrap(); //~ double_lock
    again + *g
}

// A guard used by value in a closure goes with the closure (`|| drop(g)`), as with `move`.
fn run(f: impl FnOnce()) {
    f()
}

// MUST NOT: the closure took the guard.
pub fn given_to_closure(m: &Mutex<u32>) {
    let g = m.lock().unwrap();
    run(|| drop(g));
    let _again = m.lock().unwrap();
}

// MUST: the closure only borrows the guard; it is still held.
pub fn borrowed_by_closure(m: &Mutex<u32>) {
    let g = m.lock().unwrap();
    run(|| println!("{}", *g));
    let _again = m.lock().unwrap(); //~ double_lock
}

//@ deps: tokio
use tokio::task::JoinSet;

async fn fetch(k: u32) -> u32 {
    k
}

// MUST fire: tasks spawned into a set that goes out of scope without a join.
pub async fn never_joined() {
    let mut set = JoinSet::new(); //~ joinset_dropped
    for k in 0..4 {
        set.spawn(fetch(k));
    }
}

// Looking at the size is not waiting.
pub async fn only_len() -> usize {
    let mut tasks: JoinSet<u32> = JoinSet::new(); //~ joinset_dropped
    tasks.spawn(fetch(1));
    tasks.spawn_blocking(|| 2);
    tasks.len()
}

// Full paths and `spawn_on` too; the set dies at the end of the inner block.
pub fn nested_block(rt: &tokio::runtime::Runtime) {
    {
        let mut set = tokio::task::JoinSet::new(); //~ joinset_dropped
        set.spawn_on(fetch(1), rt.handle());
    }
    println!("done");
}

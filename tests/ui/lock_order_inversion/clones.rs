//@ deps: tokio
// Lock identity through `Arc` clones moved into spawned closures and tasks: a clone is the
// lock it was cloned from, so a thread and its parent (or two threads) taking the clones in
// opposite orders can deadlock. Locks created by one call of a function are only compared
// between bodies that run at the same time: a spawned one and its parent or a sibling.
use std::sync::{Arc, Mutex};
use std::thread;

// MUST: the thread takes `a` then `b`; the parent, while it runs, `b` then `a`.
pub fn thread_and_parent() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let a2 = Arc::clone(&a);
    let b2 = b.clone();
    let worker = thread::spawn(move || {
        let _a = a2.lock().unwrap();
        let _b = b2.lock().unwrap();
    });
    let _b = b.lock().unwrap();
    let _a = a.lock().unwrap(); //~ lock_order_inversion
    worker.join().unwrap();
}

// MUST: two threads, each with its own clones, in opposite orders.
pub fn two_threads() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let (a1, b1) = (a.clone(), b.clone());
    let t1 = thread::spawn(move || {
        let _a = a1.lock().unwrap();
        *b1.lock().unwrap() += 1;
    });
    let a2 = a.clone();
    let b2 = b.clone();
    let t2 = thread::spawn(move || {
        let _b = b2.lock().unwrap();
        *a2.lock().unwrap() += 1; //~ lock_order_inversion
    });
    t1.join().unwrap();
    t2.join().unwrap();
}

// MUST: scoped threads borrow the same two locals.
pub fn scoped() {
    let a = Mutex::new(0);
    let b = Mutex::new(0);
    thread::scope(|s| {
        s.spawn(|| {
            let _a = a.lock().unwrap();
            *b.lock().unwrap() += 1;
        });
        s.spawn(|| {
            let _b = b.lock().unwrap();
            *a.lock().unwrap() += 1; //~ lock_order_inversion
        });
    });
}

// MUST: tokio tasks with async mutexes.
pub async fn tasks() {
    let a = Arc::new(tokio::sync::Mutex::new(0));
    let b = Arc::new(tokio::sync::Mutex::new(0));
    let (a2, b2) = (a.clone(), b.clone());
    let task = tokio::spawn(async move {
        let _a = a2.lock().await;
        *b2.lock().await += 1;
    });
    let _b = b.lock().await;
    *a.lock().await += 1; //~ lock_order_inversion
    task.await.unwrap();
}

pub struct Server {
    clients: Arc<Mutex<Vec<u32>>>,
    stats: Arc<Mutex<u64>>,
}

impl Server {
    // A field's clone is the field: the thread takes `clients` then `stats`…
    pub fn start(&self) {
        let clients = self.clients.clone();
        let stats = Arc::clone(&self.stats);
        thread::spawn(move || {
            let list = clients.lock().unwrap();
            *stats.lock().unwrap() += list.len() as u64;
        });
    }

    // MUST: …and this method `stats` then `clients`.
    pub fn report(&self) -> u64 {
        let stats = self.stats.lock().unwrap();
        *stats + self.clients.lock().unwrap().len() as u64 //~ lock_order_inversion
    }
}

pub struct Pipeline {
    input: Mutex<Vec<u8>>,
    output: Mutex<Vec<u8>>,
}

impl Pipeline {
    // `me` is `self`: `self: &Arc<Self>`, cloned. The thread takes `input` then `output`…
    pub fn run(self: &Arc<Self>) {
        let me = self.clone();
        thread::spawn(move || {
            let input = me.input.lock().unwrap();
            me.output.lock().unwrap().extend_from_slice(&input);
        });
    }

    // MUST: …and this method `output` then `input`.
    pub fn flush(&self) {
        let mut output = self.output.lock().unwrap();
        output.clear();
        self.input.lock().unwrap().clear(); //~ lock_order_inversion
    }
}

// Fine: the thread is joined before the parent takes the locks.
pub fn joined_first() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let (a2, b2) = (a.clone(), b.clone());
    let worker = thread::spawn(move || {
        let _a = a2.lock().unwrap();
        *b2.lock().unwrap() += 1;
    });
    worker.join().unwrap();
    let _b = b.lock().unwrap();
    *a.lock().unwrap() += 1;
}

// Fine: the scope ends (joining its threads) before the parent takes the locks.
pub fn after_scope() {
    let a = Mutex::new(0);
    let b = Mutex::new(0);
    thread::scope(|s| {
        s.spawn(|| {
            let _a = a.lock().unwrap();
            *b.lock().unwrap() += 1;
        });
    });
    let _b = b.lock().unwrap();
    *a.lock().unwrap() += 1;
}

// Fine: `c` is another lock than `b`, even though both are cloned.
pub fn different_origins() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let c = Arc::new(Mutex::new(0));
    let (a2, c2) = (a.clone(), c.clone());
    let worker = thread::spawn(move || {
        let _a = a2.lock().unwrap();
        *c2.lock().unwrap() += 1;
    });
    let _b = b.lock().unwrap();
    *a.lock().unwrap() += 1;
    worker.join().unwrap();
}

// Fine: one thread takes both orders one after the other; locks made by this call are
// nobody else's.
pub fn sequential() {
    let a = Mutex::new(0);
    let b = Mutex::new(0);
    {
        let _a = a.lock().unwrap();
        *b.lock().unwrap() += 1;
    }
    let _b = b.lock().unwrap();
    *a.lock().unwrap() += 1;
}

// Fine: the parent takes the locks in the same order as the thread.
pub fn same_order() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let (a2, b2) = (a.clone(), b.clone());
    let worker = thread::spawn(move || {
        let _a = a2.lock().unwrap();
        *b2.lock().unwrap() += 1;
    });
    let _a = a.lock().unwrap();
    *b.lock().unwrap() += 1;
    worker.join().unwrap();
}

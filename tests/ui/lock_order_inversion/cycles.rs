// Lock-order cycles longer than two, and orders that come through calls several levels deep.
use std::sync::{Mutex, RwLock};

struct Hub {
    a: Mutex<u32>,
    b: Mutex<u32>,
    c: Mutex<u32>,
    x: Mutex<u32>,
    y: Mutex<u32>,
    z: Mutex<u32>,
    r1: RwLock<u32>,
    r2: RwLock<u32>,
    r3: RwLock<u32>,
    p: Mutex<u32>,
    q: Mutex<u32>,
    s: Mutex<u32>,
    g: Mutex<()>,
    a2: Mutex<u32>,
    b2: Mutex<u32>,
    c2: Mutex<u32>,
}

impl Hub {
    // A three-lock cycle: `a` → `b` here, `b` → `c` and `c` → `a` below.
    pub fn ab(&self) {
        let _a = self.a.lock().unwrap();
        let _b = self.b.lock().unwrap();
    }

    pub fn bc(&self) {
        let _b = self.b.lock().unwrap();
        let _c = self.c.lock().unwrap();
    }

    // MUST: closes the cycle `a` → `b` → `c` → `a`.
    pub fn ca(&self) {
        let _c = self.c.lock().unwrap();
        let _a = self.a.lock().unwrap(); //~ lock_order_inversion
    }

    // A chain that is not a cycle: `x` → `y`, `y` → `z`, `x` → `z`. Fine.
    pub fn xy(&self) {
        let _x = self.x.lock().unwrap();
        let _y = self.y.lock().unwrap();
    }

    pub fn yz(&self) {
        let _y = self.y.lock().unwrap();
        let _z = self.z.lock().unwrap();
    }

    pub fn xz(&self) {
        let _x = self.x.lock().unwrap();
        self.lock_z();
    }

    fn lock_z(&self) {
        let _z = self.z.lock().unwrap();
    }

    // `p`, `q`, `s` in a row and `s` → `p` elsewhere: the pair `p`/`s` is the inversion,
    // reported once, not again as the cycle `p` → `q` → `s` → `p`.
    pub fn pqs(&self) {
        let _p = self.p.lock().unwrap();
        let _q = self.q.lock().unwrap();
        let _s = self.s.lock().unwrap();
    }

    pub fn sp(&self) {
        let _s = self.s.lock().unwrap();
        let _p = self.p.lock().unwrap(); //~ lock_order_inversion
    }

    // `a2` → `b2` and `b2` → `c2` are both taken under the gate `g`: the two threads that would
    // hold `a2` and `b2` cannot both be there, so `c2` → `a2` closes no deadlock. Fine.
    pub fn gated_ab(&self) {
        let _g = self.g.lock().unwrap();
        let _a = self.a2.lock().unwrap();
        let _b = self.b2.lock().unwrap();
    }

    pub fn gated_bc(&self) {
        let _g = self.g.lock().unwrap();
        let _b = self.b2.lock().unwrap();
        let _c = self.c2.lock().unwrap();
    }

    pub fn ungated_ca(&self) {
        let _c = self.c2.lock().unwrap();
        let _a = self.a2.lock().unwrap();
    }

    // A cycle of readers only never waits: fine.
    pub fn r12(&self) {
        let _r1 = self.r1.read().unwrap();
        let _r2 = self.r2.read().unwrap();
    }

    pub fn r23(&self) {
        let _r2 = self.r2.read().unwrap();
        let _r3 = self.r3.read().unwrap();
    }

    pub fn r31(&self) {
        let _r3 = self.r3.read().unwrap();
        let _r1 = self.r1.read().unwrap();
    }
}

struct Pool {
    jobs: Mutex<Vec<u32>>,
    stats: Mutex<u64>,
}

impl Pool {
    fn bump(&self) {
        *self.stats.lock().unwrap() += 1;
    }

    fn record(&self) {
        self.bump();
    }

    // `jobs` → `stats` through two calls.
    pub fn push(&self, j: u32) {
        let mut jobs = self.jobs.lock().unwrap();
        jobs.push(j);
        self.record();
    }

    fn job_count(&self) -> usize {
        self.jobs.lock().unwrap().len()
    }

    fn describe(&self) -> String {
        format!("{}", self.job_count())
    }

    // MUST: `stats` → `jobs` through two calls: the opposite order.
    pub fn report(&self) -> String {
        let _stats = self.stats.lock().unwrap();
        self.describe() //~ lock_order_inversion
    }
}

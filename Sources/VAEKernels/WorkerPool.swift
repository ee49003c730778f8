import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads that runs one indexed job on every thread at once,
/// with a spin-then-park handoff and no allocation per job.
///
/// `run(_:)` publishes the job, does part 0 on the calling thread, and returns when every part
/// is done. Workers spin for a short while after each job (the next GEMM of a training step
/// usually follows within microseconds), then park on a condition variable.
/// `DispatchQueue.concurrentPerform` is not used: it allocates 3-4 times per call.
public final class WorkerPool: @unchecked Sendable {
    /// A job: `perform(part, context)` for `part` in `0..<threadCount`.
    public typealias Job = (perform: @convention(c) (Int, UnsafeMutableRawPointer) -> Void,
                            context: UnsafeMutableRawPointer)

    /// Threads that take part in a job, the caller's included.
    public let threadCount: Int

    private let state: PoolState

    /// Starts `threadCount - 1` worker threads (none for 1).
    public init(threadCount: Int) {
        precondition(threadCount >= 1 && threadCount <= 256, "WorkerPool: \(threadCount) threads")
        self.threadCount = threadCount
        state = PoolState()
        for part in 1..<max(threadCount, 1) {
            let box = Unmanaged.passRetained(WorkerStart(state: state, part: part))
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.state.workerLoop(part: start.part)
                return nil
            }, box.toOpaque())
            precondition(status == 0, "WorkerPool: pthread_create failed (\(status))")
            pthread_detach(thread)
        }
    }

    deinit { state.stop(workers: threadCount - 1) }

    /// Runs `job` for parts `0..<threadCount`, part 0 on this thread; returns when all are done.
    /// Not reentrant: one job at a time, from one thread.
    public func run(_ job: Job) {
        if threadCount == 1 { job.perform(0, job.context); return }
        state.publish(job, workers: threadCount - 1)
        job.perform(0, job.context)
        state.waitForWorkers()
    }
}

private final class WorkerStart {
    let state: PoolState
    let part: Int
    init(state: PoolState, part: Int) { self.state = state; self.part = part }
}

/// Shared between the pool handle and its threads (outlives the handle until threads stop).
private final class PoolState: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let remaining = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let sleepers = Atomic<Int>(0)
    // Written before `generation` is released, read after it is acquired.
    var job: WorkerPool.Job?
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    /// Spin iterations before parking: about 50-100 us, longer than the gap between the GEMMs of
    /// one step, far shorter than the gap between runs.
    static let spinLimit = 200_000

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    func publish(_ newJob: WorkerPool.Job, workers: Int) {
        job = newJob
        remaining.store(workers, ordering: .releasing)
        // Sequentially consistent with the sleeper count (store-load on both sides), so either
        // this sees a parking worker and wakes it, or the worker sees the new generation.
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    func waitForWorkers() {
        while remaining.load(ordering: .acquiring) > 0 {}
    }

    func workerLoop(part: Int) {
        // Jobs are counted from 0, the generation when the pool was made: a thread that starts
        // late must still take the first job, not skip it (that would hang the caller).
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen && spins < Self.spinLimit {
                spins += 1
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                current = generation.load(ordering: .sequentiallyConsistent)
                while current == seen {
                    pthread_cond_wait(condition, mutex)
                    current = generation.load(ordering: .acquiring)
                }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
            }
            seen = current
            if stopping.load(ordering: .acquiring) {
                remaining.wrappingSubtract(1, ordering: .releasing)
                return
            }
            let job = self.job!
            job.perform(part, job.context)
            remaining.wrappingSubtract(1, ordering: .releasing)
        }
    }

    func stop(workers: Int) {
        guard workers > 0 else { return }
        waitForWorkers()
        stopping.store(true, ordering: .releasing)
        remaining.store(workers, ordering: .releasing)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        // Every worker acknowledges before the handle goes; each keeps this state alive through
        // its WorkerStart until its loop has returned.
        waitForWorkers()
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }
}

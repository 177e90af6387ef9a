import Dispatch

extension DispatchQueue {
    /// Runs blocking `work` on this queue and awaits its result, keeping Swift's cooperative pool free.
    func perform<T: Sendable>(_ work: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            self.async {
                continuation.resume(returning: Result { () throws(KafkaError) -> T in try work() })
            }
        }
        return try result.get()
    }

    /// Runs blocking `work` on this queue and waits for it to finish.
    func perform(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            self.async {
                work()
                continuation.resume()
            }
        }
    }
}

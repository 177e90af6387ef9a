/// Things to do at simulated times, taken earliest first; two at the same second are taken in the order
/// they were scheduled, so a run is the same for a seed. A binary min-heap.
struct Timeline<Item> {
    private struct Entry {
        var time: ShopDateTime
        var sequence: Int
        var item: Item

        func precedes(_ other: Entry) -> Bool {
            (time.seconds, sequence) < (other.time.seconds, other.sequence)
        }
    }

    private var heap: [Entry] = []
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func schedule(_ item: Item, at time: ShopDateTime) {
        heap.append(Entry(time: time, sequence: scheduled, item: item))
        scheduled += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest item and its time, removed from the timeline.
    mutating func next() -> (time: ShopDateTime, item: Item)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (first.time, first.item)
    }
}

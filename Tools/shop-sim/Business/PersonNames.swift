import PipelineCore

/// Random but plausible Chinese names and login names for users and consignees.
enum PersonNames {
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
                           "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓", "曹", "彭"]
    static let givenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
                             "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "浩", "宇", "欣怡", "子轩",
                             "梓涵", "一诺", "思远", "雨桐", "俊杰", "佳琪", "晨", "博文", "嘉怡"]
    private static let letters = Array("abcdefghijklmnopqrstuvwxyz")

    static func fullName(rng: inout SplitMix64) -> String {
        rng.pick(surnames) + rng.pick(givenNames)
    }

    /// Four to eight lowercase letters and two to four digits, like `kqzwt0931`.
    static func loginName(rng: inout SplitMix64) -> String {
        var name = String((0..<rng.between(4...8)).map { _ in rng.pick(letters) })
        for _ in 0..<rng.between(2...4) { name += String(rng.below(10)) }
        return name
    }
}

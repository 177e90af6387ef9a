import PipelineCore

/// Users: the initial ones, registrations and profile changes.
extension BusinessSimulation {
    /// Registers users 1...initialUsers (joined over the two years before the first day), in the first
    /// transactions.
    mutating func registerInitialUsers(rng: inout SplitMix64) {
        let firstDay = ShopDateTime(startOf: settings.startDate)
        var batch: [ShopState.User] = []
        for id in 1...settings.initialUsers {
            let joined = firstDay.adding(seconds: -Int64(rng.between(1...730 * Int(ShopDateTime.secondsPerDay))))
            let user = newUser(id: id, at: joined, rng: &rng)
            state.add(user)
            batch.append(user)
            if batch.count == settings.usersPerTransaction || id == settings.initialUsers {
                let rows = stride(from: 0, to: batch.count, by: 100).map { ShopStatements.insertUsers(Array(batch[$0..<min($0 + 100, batch.count)])) }
                commit("users \(batch[0].id)-\(id): registered before the simulated days", rows)
                batch = []
            }
        }
        summary.usersRegistered += settings.initialUsers
    }

    mutating func registerUser(at time: ShopDateTime, rng: inout SplitMix64) {
        let user = newUser(id: state.userCount + 1, at: time, rng: &rng)
        state.add(user)
        summary.usersRegistered += 1
        commit("user \(user.id): registered", [ShopStatements.insertUsers([user])])
    }

    /// A user changes login name, name or level (never gender or birthday).
    mutating func changeProfile(at time: ShopDateTime, rng: inout SplitMix64) {
        guard state.userCount > 0 else { return }
        var user = state.user(rng.between(1...state.userCount))
        if rng.chance(percent: 60) { user.loginName = PersonNames.loginName(rng: &rng) }
        if rng.chance(percent: 30) { user.name = PersonNames.fullName(rng: &rng) }
        user.level = String(rng.between(1...3))
        user.operateTime = time
        state.update(user)
        summary.profileChanges += 1
        commit("user \(user.id): profile changed", [ShopStatements.updateProfile(user)])
    }

    /// A new user: about half women and half men (a few without gender), born 16 to 60 years before the
    /// first simulated day (a few without birthday, some on 29 February).
    private func newUser(id: Int, at time: ShopDateTime, rng: inout SplitMix64) -> ShopState.User {
        let genderRoll = rng.below(100)
        let gender: String? = genderRoll < 48 ? "F" : genderRoll < 96 ? "M" : nil
        let first = settings.startDate.daysSinceEpoch
        let birthday = rng.chance(percent: 5) ? nil
            : CivilDate(daysSinceEpoch: rng.between((first - 60 * 365)...(first - 16 * 365)))
        return ShopState.User(id: id, loginName: PersonNames.loginName(rng: &rng), name: PersonNames.fullName(rng: &rng),
                              gender: gender, birthday: birthday, level: String(rng.between(1...3)), createTime: time,
                              operateTime: nil)
    }
}

extension Validation {
    /// A group's member list: 1 to `maximum` directory numbers, none twice. The error names the member by index
    /// (`huntGroup.members[2]`) when one number is malformed.
    static func memberNumbers(_ members: [String], field: String, maximum: Int) throws(StoreError) {
        guard (1...maximum).contains(members.count) else {
            throw .invalidValue(
                field,
                "\(label(field)) must list 1 to \(maximum) directory numbers, not \(members.count)"
            )
        }
        var seen = Set<String>()
        for (index, member) in members.enumerated() {
            try directoryNumber(member, field: "\(field)[\(index)]")
            guard seen.insert(member).inserted else {
                throw .invalidValue(field, "\(label(field)) lists \(member) twice")
            }
        }
    }
}

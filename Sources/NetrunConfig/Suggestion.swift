/// The candidate closest to `word` (edit distance, ignoring case) if it is close enough
/// to be a likely typo: at most max(1, word.count / 3) edits; ties go to the earlier candidate.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let limit = max(1, word.count / 3)
    let target = Array(word.lowercased())
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance <= limit, distance < best?.distance ?? .max {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

/// Edit distance with adjacent transpositions (optimal string alignment): the fewest insertions,
/// deletions, substitutions and swaps of neighbours turning `a` into `b`. Swaps count once because
/// they are the commonest typo ('tahn' for 'tanh').
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    // d[i][j] is the distance between the first i characters of `a` and the first j of `b`.
    var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
    for i in stride(from: 1, through: a.count, by: 1) {
        for j in stride(from: 1, through: b.count, by: 1) {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}

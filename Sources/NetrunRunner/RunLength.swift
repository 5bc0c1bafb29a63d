import NetrunConfig
import NetrunCore

/// The number of steps a run takes, computed as the trainer does but checked: epochs × steps per
/// epoch must be a count netrun can hold, or the trainer would trap after the run is recorded.
public enum RunLength {
    /// Steps are Ints, shown in progress arithmetic (`total + stepsPerEpoch − 1`) and plotted as
    /// Doubles; 2⁵³ keeps all of that exact. At a million steps a second it is 285 years.
    public static let maxSteps = 1 << 53

    /// The run's total steps on `samples` training samples; a located error when there are too many.
    public static func steps(_ config: Config, trainingSamples samples: Int) throws -> Int {
        let settings = config.training
        let batch = max(1, min(settings.batchSize ?? samples, samples))
        let stepsPerEpoch = (samples + batch - 1) / batch
        let (total, overflow) = settings.iterations.map { ($0, false) }
            ?? settings.epochs.multipliedReportingOverflow(by: stepsPerEpoch)
        if !overflow, total <= maxSteps { return total }
        let steps = settings.iterations == nil ? "\(settings.epochs) epochs of \(stepsPerEpoch) step\(stepsPerEpoch == 1 ? "" : "s")" : "\(total) iterations"
        throw config.trainingPlaces.length.error("\(steps) is more than the \(maxSteps) (2^53) steps a run can count")
    }
}

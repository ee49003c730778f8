extension VAERunner {
    /// Reads the configured data file (or generates the synthetic data).
    static func loadData(_ c: RunConfiguration, path: String) -> Result<Matrix, DataError> {
        Result { () throws(DataError) -> Matrix in
            switch c.source {
            case .synthetic:
                return generateSyntheticData(nSamples: c.nSamples, nFeatures: c.nFeatures,
                                             randomSeed: c.seed)
            case .idx: return try IDXReader.readImages(path)
            case .npy: return try NPYReader.read(path)
            case .csv:
                var label = CSVReader.LabelColumn.none
                if let column = c.labelColumn {
                    label = column.hasPrefix("name:") ? .name(String(column.dropFirst(5)))
                        : .index(Int(column)!)
                }
                return try CSVReader.read(path, delimiter: c.delimiter.utf8.first!,
                                          header: CSVReader.Header(rawValue: c.header)!,
                                          labelColumn: label).data
            }
        }
    }
}

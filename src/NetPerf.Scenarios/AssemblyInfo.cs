// Measurements must not compete for the 2 cores with each other: one cell at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

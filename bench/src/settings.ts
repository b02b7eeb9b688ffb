/** How long and how often each benchmark runs. */
export interface Settings {
  readonly quick: boolean
  readonly signing: { readonly rounds: number; readonly roundMillis: number }
  readonly roundTrip: {
    readonly concurrencies: ReadonlyArray<number>
    readonly rounds: number
    readonly roundMillis: number
    readonly warmupMillis: number
  }
  readonly coldStart: { readonly runs: number }
  readonly memory: { readonly jobs: number; readonly concurrency: number; readonly runs: number }
}

export const fullSettings: Settings = {
  quick: false,
  signing: { rounds: 9, roundMillis: 300 },
  roundTrip: { concurrencies: [1, 64], rounds: 7, roundMillis: 1000, warmupMillis: 3000 },
  coldStart: { runs: 11 },
  memory: { jobs: 10_000, concurrency: 64, runs: 3 }
}

/** Every section, briefly: enough to show that the script still works, not to compare anything. */
export const quickSettings: Settings = {
  quick: true,
  signing: { rounds: 3, roundMillis: 30 },
  roundTrip: { concurrencies: [1, 64], rounds: 2, roundMillis: 150, warmupMillis: 100 },
  coldStart: { runs: 2 },
  memory: { jobs: 300, concurrency: 64, runs: 1 }
}

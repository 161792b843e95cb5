using System.Globalization;
using MonEspaceSante.Bench;

// Usage: bench enrollment [rows] | bench documents [uploads] [concurrency] [--s3] | bench access [reads] [concurrency] | bench profile [reads] | bench messaging [sends] [concurrency]
//        | bench grains [calls] | bench realtime [clients] [events_per_s] [seconds]
// (realtime-clients is internal: the realtime benchmark's client process.)
var s3 = args.Contains("--s3");
args = args.Where(a => a != "--s3").ToArray();
return args switch
{
    ["documents"] => await DocumentsBenchmark.RunAsync(2000, 16, s3),
    ["documents", var uploads] => await DocumentsBenchmark.RunAsync(int.Parse(uploads, CultureInfo.InvariantCulture), 16, s3),
    ["documents", var uploads, var concurrency] => await DocumentsBenchmark.RunAsync(int.Parse(uploads, CultureInfo.InvariantCulture), int.Parse(concurrency, CultureInfo.InvariantCulture), s3),
    ["access"] => await AccessBenchmark.RunAsync(4000, [1, 4, 16]),
    ["access", var reads] => await AccessBenchmark.RunAsync(int.Parse(reads, CultureInfo.InvariantCulture), [1, 4, 16]),
    ["access", var reads, var concurrency] => await AccessBenchmark.RunAsync(Int(reads), [Int(concurrency)]),
    ["profile"] => await ProfileBenchmark.RunAsync(4000),
    ["profile", var reads] => await ProfileBenchmark.RunAsync(Int(reads)),
    ["messaging"] => await MessagingBenchmark.RunAsync(2000, 16),
    ["messaging", var sends] => await MessagingBenchmark.RunAsync(int.Parse(sends, CultureInfo.InvariantCulture), 16),
    ["messaging", var sends, var concurrency] => await MessagingBenchmark.RunAsync(int.Parse(sends, CultureInfo.InvariantCulture), int.Parse(concurrency, CultureInfo.InvariantCulture)),
    ["realtime"] => await RealtimeBenchmark.RunAsync(5000, 1000, 30),
    ["realtime", var clients] => await RealtimeBenchmark.RunAsync(Int(clients), 1000, 30),
    ["realtime", var clients, var rate] => await RealtimeBenchmark.RunAsync(Int(clients), Int(rate), 30),
    ["realtime", var clients, var rate, var seconds] => await RealtimeBenchmark.RunAsync(Int(clients), Int(rate), Int(seconds)),
    [RealtimeClients.Command, var hub, var tickets, var results] => await RealtimeClients.RunAsync(new Uri(hub), tickets, results),
    ["grains"] => await GrainsBenchmark.RunAsync(20_000),
    ["grains", var calls] => await GrainsBenchmark.RunAsync(Int(calls)),
    ["enrollment"] => await EnrollmentBenchmark.RunAsync(1_000_000),
    ["enrollment", var rows] => await EnrollmentBenchmark.RunAsync(long.Parse(rows, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench enrollment [rows] | bench documents [uploads] [concurrency] [--s3] | bench access [reads] [concurrency] | bench profile [reads] | bench messaging [sends] [concurrency] | bench grains [calls] | bench realtime [clients] [events_per_s] [seconds]");
    return 2;
}

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

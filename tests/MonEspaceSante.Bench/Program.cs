using System.Globalization;
using MonEspaceSante.Bench;

// Usage: bench enrollment [rows]
return args switch
{
    ["enrollment"] => await EnrollmentBenchmark.RunAsync(1_000_000),
    ["enrollment", var rows] => await EnrollmentBenchmark.RunAsync(long.Parse(rows, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench enrollment [rows]");
    return 2;
}

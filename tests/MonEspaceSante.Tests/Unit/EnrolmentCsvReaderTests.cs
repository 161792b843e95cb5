using System.Text;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Unit;

public sealed class EnrolmentCsvReaderTests
{
    private static readonly DateOnly Today = new(2026, 11, 2);

    private static async Task<List<ParsedRow>> ReadAsync(string csv, long skip = 0)
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var rows = new List<ParsedRow>();
        await foreach (var row in EnrolmentCsvReader.ReadAsync(stream, new EnrolmentRowValidator(Today, TimeSpan.FromDays(42)), skip))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Line_numbers_count_physical_lines_including_multi_line_addresses()
    {
        var letter = EnrolmentFiles.Person(1, Today, withEmail: false);   // its address spans two lines
        var email = EnrolmentFiles.Person(2, Today);
        var rows = await ReadAsync(EnrolmentFiles.Csv([letter, email]));
        rows.Select(r => r.Line).Should().Equal(2, 4);
        rows.Should().OnlyContain(r => r.Row != null);
        rows[0].Row!.PostalAddress.Should().Contain("\n");
    }

    [Fact]
    public async Task Each_bad_row_is_reported_with_its_reason_and_the_rest_continue()
    {
        var good = EnrolmentFiles.Person(3, Today);
        var badKey = good with { Nir = good.Nir[..13] + (good.Nir[13..] == "01" ? "02" : "01") };
        var noContact = EnrolmentFiles.Person(4, Today) with { Email = null, PostalAddress = null };
        var future = EnrolmentFiles.Person(5, Today) with { BirthDate = Today.AddDays(1) };
        var badSex = EnrolmentFiles.Person(6, Today) with { Sex = "F" };
        var expired = EnrolmentFiles.Person(7, Today, withEmail: true) with { NotificationDate = Today.AddDays(-43) };
        var rows = await ReadAsync(EnrolmentFiles.Csv([badKey, noContact, future, badSex, expired, good], ["1;2;3"]));
        rows.Should().HaveCount(7);
        rows[0].Rejection.Should().Contain("key");
        rows[1].Rejection.Should().Contain("email or a postal_address");
        rows[2].Rejection.Should().Contain("future");
        rows[3].Rejection.Should().Contain("sex");
        rows[4].Rejection.Should().Contain("expired");
        rows[5].Row.Should().NotBeNull();
        rows[6].Rejection.Should().Contain("expected 10 fields");
    }

    [Fact]
    public async Task A_header_without_the_required_columns_is_refused_whole()
    {
        var act = () => ReadAsync("nir;birth_name\n1;2\n");
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*first_names*");
    }

    [Fact]
    public async Task Resuming_skips_lines_already_done()
    {
        var people = Enumerable.Range(10, 5).Select(i => EnrolmentFiles.Person(i, Today)).ToList();
        var rows = await ReadAsync(EnrolmentFiles.Csv(people), skip: 4);
        rows.Select(r => r.Line).Should().Equal(5, 6);
    }

    [Fact]
    public async Task Counting_records_honours_quoted_line_breaks()
    {
        var csv = EnrolmentFiles.Csv([EnrolmentFiles.Person(1, Today, withEmail: false), EnrolmentFiles.Person(2, Today), EnrolmentFiles.Person(3, Today, withEmail: false)]);
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        (await EnrolmentCsvReader.CountRecordsAsync(stream)).Should().Be(3);
    }
}

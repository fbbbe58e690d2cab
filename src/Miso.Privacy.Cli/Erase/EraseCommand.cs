using System.CommandLine;
using System.Net;

namespace Miso.Privacy.Cli.Erase;

/// <summary>
/// <c>erase</c>: files erasure requests for ids from arguments, a text file or a CSV column, at most 10,000 subjects a
/// request. Each request's Idempotency-Key comes from its ids and options, so running the same command again (after a
/// failure half way, or by mistake) replays what was filed and files only what was not.
/// </summary>
static class EraseCommand
{
    public static Command Create(CommonOptions common)
    {
        var ids = new Argument<string[]>("ids") { Description = "Subject ids (put -- before ids that start with a dash)", Arity = ArgumentArity.ZeroOrMore };
        var file = new Option<string>("--file", "-f") { Description = "A text file with one id a line; - reads stdin" };
        var csv = new Option<string>("--csv") { Description = "A CSV file with a header row" };
        var column = new Option<string>("--column") { Description = "The CSV column that holds the ids (needed when it has several)" };
        var kind = OptionKinds.Choice("--kind", "What the ids are", "user_id", Vocabulary.Kinds);
        var type = OptionKinds.Choice("--type",
            "erase: suppress, and delete at Miso; suppress: an opt-out, nothing deleted; delete: delete at Miso, do not suppress", "erase", Vocabulary.Types);
        var regulation = OptionKinds.Choice("--regulation", "The legal basis; it sets the deadline", "gdpr", Vocabulary.Regulations);
        var ticket = new Option<string>("--ticket") { Description = "Your ticket reference, such as ZD-1001" };
        var requestedBy = new Option<string>("--requested-by")
        {
            Description = "Who asked on the person's behalf (cli:<your user name> unless given)",
            DefaultValueFactory = _ => $"cli:{Environment.UserName}",
        };
        var reason = new Option<string>("--reason") { Description = "Why, in a sentence, kept with the request" };
        var submittedAt = OptionKinds.Time("--submitted-at", "When the person asked, if not now: the legal clock starts there");
        var environments = new Option<string[]>("--environment") { Description = "Only this Miso environment (repeat for more) [default: every one]" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress bar, even at a terminal" };
        column.Validators.Add(result =>
        {
            if (result.Parent?.GetResult(csv) is null)
                result.AddError("--column goes with --csv.");
        });

        var command = new Command("erase", "File erasure requests for ids from arguments, --file or --csv (at most 10,000 a request)")
        {
            ids, file, csv, column, kind, type, regulation, ticket, requestedBy, reason, submittedAt, environments, noProgress,
        };
        command.SetAction(async (parse, ct) =>
        {
            var inputs = new List<InputId>(SubjectInput.FromArguments(parse.GetValue(ids) ?? []));
            if (parse.GetValue(file) is { } path)
                inputs.AddRange(SubjectInput.FromTextFile(path, common.Console.In));
            if (parse.GetValue(csv) is { } table)
                inputs.AddRange(SubjectInput.FromCsv(table, parse.GetValue(column)));
            var subjectKind = parse.GetValue(kind)!;
            var (subjects, problems) = SubjectSet.Normalise(inputs, subjectKind);
            if (problems.Count > 0)
                throw CliFailure.Usage("Some ids cannot be sent, so nothing was filed:", problems);
            if (subjects.Count == 0)
                throw CliFailure.Usage("No subject ids: give them as arguments, with --file or with --csv.");
            var options = new ErasureOptions(subjectKind, parse.GetValue(type)!, parse.GetValue(regulation)!, parse.GetValue(requestedBy)!,
                parse.GetValue(reason), parse.GetValue(ticket), parse.GetValue(submittedAt),
                parse.GetValue(environments) is { Length: > 0 } names ? names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : null);
            var chunks = ErasurePlan.Split(subjects, options);

            using var client = common.Connect(parse);
            var output = new EraseOutput(common.Console, common.WantsJson(parse), subjects.Count);
            var progress = new Progress(common.Console.Error, common.Console.ErrorIsTerminal && !parse.GetValue(noProgress), subjects.Count, chunks.Count);
            var filed = new List<FiledRequest>();
            progress.Draw(0, 1);
            foreach (var chunk in chunks)
            {
                try
                {
                    var reply = await client.SendAsync(HttpMethod.Post, "api/v1/erasure-requests", ErasurePlan.Body(chunk, options), chunk.IdempotencyKey, ct);
                    filed.Add(new FiledRequest(chunk, reply.Body, Replayed: reply.Status == HttpStatusCode.OK));
                }
                catch (CliFailure failure) when (chunks.Count > 1)
                {
                    progress.End();
                    output.Write(filed);
                    throw failure.WithNote($"Request {chunk.Number} of {chunks.Count} was not filed; {filed.Count} before it were. "
                        + "Run the same command again: what was filed is replayed, not filed twice.");
                }
                progress.Draw(filed.Sum(f => f.Chunk.Ids.Count), Math.Min(chunk.Number + 1, chunks.Count));
            }
            progress.End();
            output.Write(filed);
            return ExitCodes.Success;
        });
        return command;
    }
}

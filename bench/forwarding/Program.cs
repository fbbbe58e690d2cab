// Records per second through three paths to one emulator, under the same client load: straight to it, through a
// plain pass-through proxy (YARP direct forwarding), and through the forwarder with 1,000,000 suppressed subjects.
//   proxy <port> <target-url>                      runs the pass-through proxy
//   load <emulator> <proxy> <forwarder> <seconds> [cases]  measures and prints the tables; cases: any of 100, 10000,
//                                                          recommendation (comma-separated; default all)
//   send <target> <emulator> <batch|recommendation> <seconds>  one cell alone, for profiling a single path
using ForwardingBench;

return args switch
{
    ["proxy", var port, var target] => await PassThroughProxy.RunAsync(int.Parse(port), target),
    ["load", var emulator, var proxy, var forwarder, var seconds] => await Load.RunAsync(
        new Uri(emulator), new Uri(proxy), new Uri(forwarder), Seconds(seconds), Load.AllCases),
    ["load", var emulator, var proxy, var forwarder, var seconds, var cases] => await Load.RunAsync(
        new Uri(emulator), new Uri(proxy), new Uri(forwarder), Seconds(seconds), cases.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
    ["send", var target, var emulator, var batch, var seconds] => await Load.SendOneAsync(new Uri(target), new Uri(emulator), batch, Seconds(seconds)),
    _ => Usage(),
};

static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

static int Usage()
{
    Console.Error.WriteLine("usage: proxy <port> <target-url> | load <emulator-url> <proxy-url> <forwarder-url> <seconds> [100,10000,recommendation] | send <target-url> <emulator-url> <batch|recommendation> <seconds>");
    return 2;
}

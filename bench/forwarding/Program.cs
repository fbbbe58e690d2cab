// Records per second through three paths to one emulator, under the same client load: straight to it, through a
// plain pass-through proxy (YARP direct forwarding), and through the forwarder with 1,000,000 suppressed subjects.
//   proxy <port> <target-url>                      runs the pass-through proxy
//   load <emulator> <proxy> <forwarder> <seconds>  measures and prints the table
//   send <target> <emulator> <batch> <seconds>     one cell alone, for profiling a single path
using ForwardingBench;

return args switch
{
    ["proxy", var port, var target] => await PassThroughProxy.RunAsync(int.Parse(port), target),
    ["load", var emulator, var proxy, var forwarder, var seconds] => await Load.RunAsync(
        new Uri(emulator), new Uri(proxy), new Uri(forwarder), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))),
    ["send", var target, var emulator, var batch, var seconds] => await Load.SendOneAsync(
        new Uri(target), new Uri(emulator), int.Parse(batch), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: proxy <port> <target-url> | load <emulator-url> <proxy-url> <forwarder-url> <seconds> | send <target-url> <emulator-url> <batch> <seconds>");
    return 2;
}

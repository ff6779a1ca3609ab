Console.WriteLine("bakery placeholder");

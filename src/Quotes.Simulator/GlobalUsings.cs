// What the simulator's REST endpoint families (Rest/) all use, said once.
global using System.Globalization;
global using System.Text.Json.Nodes;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
global using Quotes.Contracts;
